package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitDecisionTest {
  private static LimitCheck check(String name) {
    return new LimitCheck(
        LimitDefinition.of(
            new LimitId("shop", "orders", name), Algorithm.GCRA, 10, Duration.ofMinutes(1)),
        "sub=alice");
  }

  @Test
  void mostRestrictiveOfAnAdmittedRequestHasTheFewestLeft() {
    LimitOutcome roomy = LimitOutcome.allowed(check("a"), 10, 8, Duration.ofSeconds(12));
    LimitOutcome tight = LimitOutcome.allowed(check("b"), 10, 1, Duration.ofSeconds(54));

    LimitDecision decision = LimitDecision.of(List.of(roomy, tight));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.mostRestrictive()).isEqualTo(tight);
  }

  @Test
  void mostRestrictiveOfARejectedRequestAsksToWaitLongest() {
    LimitOutcome admits = LimitOutcome.allowed(check("a"), 10, 0, Duration.ofSeconds(60));
    LimitOutcome shortWait =
        LimitOutcome.limited(check("b"), 10, 0, Duration.ofSeconds(60), Duration.ofSeconds(6));
    LimitOutcome longWait =
        LimitOutcome.limited(check("c"), 10, 0, Duration.ofSeconds(60), Duration.ofSeconds(30));

    LimitDecision decision = LimitDecision.of(List.of(admits, shortWait, longWait));

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.mostRestrictive()).isEqualTo(longWait);
  }

  @Test
  void refusesAnAllowedFlagThatContradictsTheOutcomes() {
    LimitOutcome limited =
        LimitOutcome.limited(check("a"), 10, 0, Duration.ofSeconds(60), Duration.ofSeconds(6));

    assertThatThrownBy(() -> new LimitDecision(true, List.of(limited)))
        .hasMessageStartingWith("allowed: true contradicts the per-limit outcomes");
  }

  @Test
  void checkCostMustBePositive() {
    assertThatThrownBy(() -> new LimitCheck(check("a").limit(), "a", 0))
        .hasMessage("cost: 0 must be at least 1");
  }
}
