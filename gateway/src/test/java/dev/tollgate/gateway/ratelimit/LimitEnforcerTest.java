package dev.tollgate.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.Enforcement;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.FailureMode;
import dev.tollgate.gateway.auth.ClientIdentity;
import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import jakarta.json.Json;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The decision logic against the real in-process engine (no Redis configured). */
class LimitEnforcerTest {
  private final Limiters limiters =
      Limiters.create(new LimiterSettings(Optional.empty(), Duration.ofMillis(50), 1, 64), () -> 0);
  private final LimitEnforcer enforcer = new LimitEnforcer(limiters, new RateLimitMetrics());
  // policy names are unique per test so the global registry's counters start at zero
  private final String policy = "p" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void close() {
    limiters.close();
  }

  private CompiledLimit limit(String name, long requests, Enforcement enforcement) {
    return limit(name, requests, enforcement, Optional.empty(), Map.of());
  }

  private CompiledLimit limit(
      String name,
      long requests,
      Enforcement enforcement,
      Optional<String> tierClaim,
      Map<String, Optional<LimitDefinition>> tiers) {
    return new CompiledLimit(
        "test/" + policy,
        name,
        definition(name, requests),
        List.of(new KeyComponent.Claim("sub")),
        tierClaim,
        tiers,
        1,
        enforcement,
        FailureMode.OPEN);
  }

  private LimitDefinition definition(String name, long requests) {
    return LimitDefinition.of(
        new LimitId("test", policy, name), Algorithm.FIXED_WINDOW, requests, Duration.ofHours(1));
  }

  private static KeyInputs user(String subject, String plan) throws Exception {
    return new KeyInputs(
        new ClientIdentity(
            Map.of("sub", Json.createValue(subject), "plan", Json.createValue(plan))),
        name -> List.of(),
        ClientNetwork.of(InetAddress.getLoopbackAddress(), 64),
        "/orders",
        "GET",
        "test/orders",
        Optional.empty());
  }

  private EnforcementResult request(List<CompiledLimit> limits, KeyInputs who) {
    return enforcer.enforce(RateLimitStage.plan(limits, who));
  }

  private long count(String limit, String decision) {
    return Metrics.globalRegistry()
        .counter(
            "tollgate.ratelimit.decisions",
            List.of(
                Tag.create("policy", "test/" + policy),
                Tag.create("limit", limit),
                Tag.create("decision", decision)))
        .map(c -> c.count())
        .orElse(0L);
  }

  /** r and q count requests of the limit's cost, as a client reads them: units ÷ cost. */
  @Test
  void aLimitWithACostReportsRequestsNotUnits() throws Exception {
    CompiledLimit compute =
        new CompiledLimit(
            "test/" + policy,
            "compute",
            definition("compute", 10),
            List.of(new KeyComponent.Claim("sub")),
            Optional.empty(),
            Map.of(),
            4,
            Enforcement.ENFORCE,
            FailureMode.OPEN);
    KeyInputs alice = user("alice", "free");

    LimitFigures first = request(List.of(compute), alice).figures().getFirst();
    LimitFigures second = request(List.of(compute), alice).figures().getFirst();
    EnforcementResult third = request(List.of(compute), alice);

    assertThat(first.quota()).as("10 units hold 2 requests of 4").isEqualTo(2);
    assertThat(first.remaining()).as("6 units left: 1 request").isEqualTo(1);
    assertThat(second.remaining()).as("2 units left: no request").isZero();
    assertThat(third.admitted()).isFalse();
    assertThat(third.figures().getFirst().remaining()).isZero();
  }

  @Test
  void refusalByAnyLimitChargesNoneAndNamesTheViolatedOne() throws Exception {
    List<CompiledLimit> limits =
        List.of(limit("wide", 10, Enforcement.ENFORCE), limit("narrow", 2, Enforcement.ENFORCE));
    KeyInputs alice = user("alice", "free");

    assertThat(request(limits, alice).admitted()).isTrue();
    assertThat(request(limits, alice).admitted()).isTrue();
    EnforcementResult third = request(limits, alice);

    assertThat(third.admitted()).isFalse();
    assertThat(third.violated()).extracting(CompiledLimit::name).containsExactly("narrow");
    LimitFigures wide =
        third.figures().stream().filter(f -> f.name().equals("wide")).findFirst().orElseThrow();
    assertThat(wide.remaining()).isEqualTo(8);
    assertThat(request(List.of(limits.getFirst()), alice).figures().getFirst().remaining())
        .isEqualTo(7);
    assertThat(count("narrow", "limited")).isEqualTo(1);
    assertThat(count("wide", "allowed")).isEqualTo(4);
  }

  @Test
  void clientsHaveSeparateBuckets() throws Exception {
    List<CompiledLimit> limits = List.of(limit("per-user", 1, Enforcement.ENFORCE));

    assertThat(request(limits, user("alice", "free")).admitted()).isTrue();
    assertThat(request(limits, user("alice", "free")).admitted()).isFalse();
    assertThat(request(limits, user("bob", "free")).admitted()).isTrue();
  }

  @Test
  void tiersChangeTheNumbersAndUnlimitedMakesNoCheck() throws Exception {
    CompiledLimit limit =
        limit(
            "per-user",
            1,
            Enforcement.ENFORCE,
            Optional.of("plan"),
            Map.of(
                "premium", Optional.of(definition("per-user", 3)), "internal", Optional.empty()));

    for (int i = 0; i < 3; i++) {
      assertThat(request(List.of(limit), user("carol", "premium")).admitted()).isTrue();
    }
    assertThat(request(List.of(limit), user("carol", "premium")).admitted()).isFalse();
    assertThat(request(List.of(limit), user("carol", "free")).admitted()).isTrue();
    assertThat(request(List.of(limit), user("carol", "free")).admitted()).isFalse();
    assertThat(RateLimitStage.plan(List.of(limit), user("ops", "internal"))).isEmpty();
  }

  @Test
  void shadowLimitsNeverRefuseButCountWouldBeRefusals() throws Exception {
    List<CompiledLimit> limits =
        List.of(limit("real", 5, Enforcement.ENFORCE), limit("trial", 1, Enforcement.SHADOW));
    KeyInputs dave = user("dave", "free");

    for (int i = 0; i < 4; i++) {
      EnforcementResult result = request(limits, dave);
      assertThat(result.admitted()).isTrue();
      assertThat(result.figures()).noneMatch(LimitFigures::exceeded);
    }

    assertThat(count("trial", "allowed")).isEqualTo(1);
    assertThat(count("trial", "shadow_limited")).isEqualTo(3);
    assertThat(count("real", "allowed")).isEqualTo(4);
  }

  @Test
  void aRealRefusalDoesNotChargeShadowLimits() throws Exception {
    List<CompiledLimit> limits =
        List.of(limit("real", 1, Enforcement.ENFORCE), limit("trial", 5, Enforcement.SHADOW));
    KeyInputs erin = user("erin", "free");

    request(limits, erin);
    request(limits, erin);
    request(limits, erin);

    EnforcementResult shadowOnly = request(List.of(limits.get(1)), erin);
    assertThat(shadowOnly.figures().getFirst().remaining()).isEqualTo(3);
  }

  /** Two policies on trial are each charged as they would be once enforced, apart. */
  @Test
  void oneShadowPolicyThatWouldRefuseStillLetsAnotherBeCharged() throws Exception {
    String other = policy + "-other";
    CompiledLimit loose =
        new CompiledLimit(
            "test/" + other,
            "loose",
            LimitDefinition.of(
                new LimitId("test", other, "loose"),
                Algorithm.FIXED_WINDOW,
                10,
                Duration.ofHours(1)),
            List.of(new KeyComponent.Claim("sub")),
            Optional.empty(),
            Map.of(),
            1,
            Enforcement.SHADOW,
            FailureMode.OPEN);
    List<CompiledLimit> limits = List.of(limit("strict", 1, Enforcement.SHADOW), loose);
    KeyInputs frank = user("frank", "free");

    for (int i = 0; i < 4; i++) {
      assertThat(request(limits, frank).admitted()).isTrue();
    }

    assertThat(count("strict", "shadow_limited")).isEqualTo(3);
    LimitFigures looseNow = request(List.of(loose), frank).figures().getFirst();
    assertThat(looseNow.remaining()).as("charged by all four requests, then this one").isEqualTo(5);
  }
}
