package dev.tollgate.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.Enforcement;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec.FailureMode;
import dev.tollgate.gateway.auth.ClientIdentity;
import dev.tollgate.gateway.backend.WeightedBackends;
import dev.tollgate.gateway.config.Rejections;
import dev.tollgate.gateway.route.CompiledRoute;
import dev.tollgate.gateway.route.HostPattern;
import dev.tollgate.gateway.route.PathMatch;
import dev.tollgate.gateway.route.RouteFilters;
import dev.tollgate.gateway.route.RouteId;
import dev.tollgate.gateway.route.RouteTable;
import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.CalendarWindow;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.RollingWindow;
import dev.tollgate.rules.ResourceId;
import jakarta.json.Json;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyCompilerTest {
  private static final RouteId ORDERS = new RouteId("shop", "orders");

  static ConfigSnapshot snapshot(String policiesJson) throws Exception {
    return ApiJson.mapper()
        .readValue(
            """
            {"version": 1,
             "routes": [
               {"namespace": "shop", "name": "orders", "spec": {"match": {"pathPrefix": "/orders"}}},
               {"namespace": "shop", "name": "carts", "spec": {"match": {"pathPrefix": "/carts"}}}],
             "policies": %s}
            """
                .formatted(policiesJson),
            ConfigSnapshot.class);
  }

  private static EnforcementPlan compile(String policiesJson) throws Exception {
    return compile(policiesJson, new Rejections());
  }

  private static EnforcementPlan compile(String policiesJson, Rejections rejections)
      throws Exception {
    return new PolicyCompiler().compile(snapshot(policiesJson), RouteTable.EMPTY, rejections);
  }

  @Test
  void attachesEveryLimitOfAPolicyToEachTargetRouteWithDefaults() throws Exception {
    EnforcementPlan plan =
        compile(
            """
            [{"namespace": "shop", "name": "per-user", "spec": {
               "targetRefs": [{"kind": "Route", "name": "orders"}, {"kind": "Route", "name": "carts"},
                              {"kind": "Route", "name": "orders"}],
               "limits": [{"name": "per-user", "rate": {"requests": 100, "period": "1m"},
                           "key": [{"claim": "sub"}]}]}}]
            """);

    List<CompiledLimit> limits = plan.limitsOf(ORDERS);
    assertThat(limits).hasSize(1);
    CompiledLimit limit = limits.getFirst();
    assertThat(limit.policy()).isEqualTo("shop/per-user");
    assertThat(limit.name()).isEqualTo("per-user");
    assertThat(limit.enforcement()).isEqualTo(Enforcement.ENFORCE);
    assertThat(limit.failureMode()).isEqualTo(FailureMode.OPEN);
    assertThat(limit.cost()).isEqualTo(1);
    assertThat(limit.key()).containsExactly(new KeyComponent.Claim("sub"));
    assertThat(limit.definition().algorithm()).isEqualTo(Algorithm.TOKEN_BUCKET);
    assertThat(limit.definition().requests()).isEqualTo(100);
    assertThat(limit.definition().burst()).isEqualTo(100);
    assertThat(limit.definition().window()).isEqualTo(new RollingWindow(Duration.ofMinutes(1)));
    assertThat(plan.limitsOf(new RouteId("shop", "carts"))).hasSize(1);
    assertThat(plan.limitsOf(new RouteId("other", "orders"))).isEmpty();
  }

  @Test
  void aCalendarWindowAppliesToTheLimitAndItsTiers() throws Exception {
    EnforcementPlan plan =
        compile(
            """
            [{"namespace": "shop", "name": "quota", "spec": {
               "targetRefs": [{"kind": "Route", "name": "orders"}],
               "limits": [{"name": "monthly", "algorithm": "fixed-window",
                           "rate": {"requests": 10000000},
                           "window": {"calendar": "month", "timeZone": "America/New_York"},
                           "tiers": {"claim": "plan",
                                     "values": {"gold": {"rate": {"requests": 1000000000}}}}}]}}]
            """);

    CompiledLimit limit = plan.limitsOf(ORDERS).getFirst();
    CalendarWindow month =
        new CalendarWindow(CalendarWindow.Unit.MONTH, ZoneId.of("America/New_York"));
    assertThat(limit.definition().window()).isEqualTo(month);
    assertThat(limit.definition().requests()).isEqualTo(10_000_000);
    assertThat(limit.definitionFor(Optional.of("gold")).orElseThrow())
        .extracting(LimitDefinition::window, LimitDefinition::requests)
        .containsExactly(month, 1_000_000_000L);
  }

  @Test
  void tiersOverrideRateAndBurstAndMayBeUnlimited() throws Exception {
    CompiledLimit limit =
        compile(
                """
                [{"namespace": "shop", "name": "plans", "spec": {
                   "targetRefs": [{"kind": "Route", "name": "orders"}],
                   "limits": [{"name": "per-user", "rate": {"requests": 50, "period": "1m"},
                     "burst": 10, "key": [{"claim": "sub"}],
                     "tiers": {"claim": "plan", "values": {
                        "premium": {"rate": {"requests": 500, "period": "1m"}},
                        "gold": {"rate": {"requests": 50, "period": "1m"}, "burst": 40},
                        "internal": {"unlimited": true}}}}]}}]
                """)
            .limitsOf(ORDERS)
            .getFirst();

    assertThat(definitionFor(limit, "premium").map(LimitDefinition::requests)).contains(500L);
    assertThat(definitionFor(limit, "premium").map(LimitDefinition::burst)).contains(500L);
    assertThat(definitionFor(limit, "gold").map(LimitDefinition::requests)).contains(50L);
    assertThat(definitionFor(limit, "gold").map(LimitDefinition::burst)).contains(40L);
    assertThat(definitionFor(limit, "internal")).isEmpty();
    assertThat(definitionFor(limit, "unknown-plan").map(LimitDefinition::burst)).contains(10L);
    assertThat(limit.definitionFor(limit.tierOf(ClientIdentity.anonymous())))
        .contains(limit.definition());
  }

  private static Optional<LimitDefinition> definitionFor(CompiledLimit limit, String plan) {
    ClientIdentity identity = new ClientIdentity(Map.of("plan", Json.createValue(plan)));
    return limit.definitionFor(limit.tierOf(identity));
  }

  @Test
  void qualifiesLimitNamesThatTwoPoliciesOnOneRouteShare() throws Exception {
    EnforcementPlan plan =
        compile(
            """
            [{"namespace": "shop", "name": "a", "spec": {"targetRefs": [{"kind": "Route", "name": "orders"}],
               "limits": [{"name": "burst", "rate": {"requests": 5, "period": "1s"}},
                          {"name": "daily", "rate": {"requests": 5000, "period": "24h"}}]}},
             {"namespace": "shop", "name": "b", "spec": {"targetRefs": [{"kind": "Route", "name": "orders"}],
               "enforcement": "shadow", "failureMode": "local",
               "limits": [{"name": "burst", "rate": {"requests": 2, "period": "1s"}}]}}]
            """);

    assertThat(plan.limitsOf(ORDERS))
        .extracting(CompiledLimit::name)
        .containsExactly("a/burst", "daily", "b/burst");
    assertThat(plan.limitsOf(ORDERS).get(2).enforcement()).isEqualTo(Enforcement.SHADOW);
    assertThat(plan.limitsOf(ORDERS).get(2).failureMode()).isEqualTo(FailureMode.LOCAL);
  }

  @Test
  void leavesOutOnlyThePolicyTheEngineRefusesAndAttachesTheOthers() throws Exception {
    Rejections rejections = new Rejections();
    // Not judged by the rulebook first (as the ConfigCompiler would): the engine's own invariant
    // is the last line, and it must cost only the policy that trips it.
    EnforcementPlan plan =
        compile(
            """
            [{"namespace": "shop", "name": "bad", "spec": {"targetRefs": [{"kind": "Route", "name": "orders"}],
               "limits": [{"name": "log", "algorithm": "sliding-log",
                           "rate": {"requests": 1000000, "period": "1m"}}]}},
             {"namespace": "shop", "name": "good", "spec": {"targetRefs": [{"kind": "Route", "name": "orders"}],
               "limits": [{"name": "ok", "rate": {"requests": 5, "period": "1s"}}]}}]
            """,
            rejections);

    assertThat(plan.limitsOf(ORDERS)).extracting(CompiledLimit::name).containsExactly("ok");
    assertThat(rejections.byResource()).containsOnlyKeys(ResourceId.policy("shop", "bad"));
    assertThat(rejections.byResource().get(ResourceId.policy("shop", "bad")).getFirst().message())
        .contains("cannot be compiled", "sliding-log");
  }

  private static CompiledRoute httpRouteRule(String rule, String gateway) {
    return new CompiledRoute(
        RouteId.httpRouteRule("web", "store", rule),
        0,
        List.of(HostPattern.ANY),
        new PathMatch.Prefix("/" + rule),
        Set.of(),
        List.of(),
        List.of(),
        RouteFilters.NONE,
        WeightedBackends.of(List.of()),
        Set.of(gateway));
  }

  @Test
  void theMostSpecificPolicyWinsPerLimitNameAndOtherNamesAddUp() throws Exception {
    RouteTable routes =
        new RouteTable(
            List.of(
                httpRouteRule("checkout", "infra/public"),
                httpRouteRule("browse", "infra/public")));
    ConfigSnapshot snapshot =
        ApiJson.mapper()
            .readValue(
                """
                {"version": 1, "policies": [
                  {"namespace": "infra", "name": "gateway-defaults", "spec": {
                    "targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "public"}],
                    "limits": [{"name": "per-client", "rate": {"requests": 100, "period": "1m"}},
                               {"name": "burst-guard", "rate": {"requests": 1000, "period": "1s"}}]}},
                  {"namespace": "web", "name": "store", "spec": {
                    "targetRefs": [{"kind": "HTTPRoute", "name": "store"}],
                    "limits": [{"name": "per-client", "rate": {"requests": 10, "period": "1m"}}]}},
                  {"namespace": "web", "name": "checkout", "spec": {
                    "targetRefs": [{"kind": "HTTPRoute", "name": "store", "sectionName": "checkout"}],
                    "limits": [{"name": "per-client", "rate": {"requests": 1, "period": "1m"}}]}},
                  {"namespace": "other", "name": "elsewhere", "spec": {
                    "targetRefs": [{"kind": "Gateway", "name": "public"}],
                    "limits": [{"name": "never", "rate": {"requests": 1, "period": "1m"}}]}}]}
                """,
                ConfigSnapshot.class);

    EnforcementPlan plan = new PolicyCompiler().compile(snapshot, routes, new Rejections());

    assertThat(plan.limitsOf(RouteId.httpRouteRule("web", "store", "checkout")))
        .extracting(l -> l.policy() + ":" + l.name() + "=" + l.definition().requests())
        .containsExactlyInAnyOrder(
            "web/checkout:per-client=1", "infra/gateway-defaults:burst-guard=1000");
    assertThat(plan.limitsOf(RouteId.httpRouteRule("web", "store", "browse")))
        .extracting(l -> l.policy() + ":" + l.name() + "=" + l.definition().requests())
        .containsExactlyInAnyOrder(
            "web/store:per-client=10", "infra/gateway-defaults:burst-guard=1000");
  }
}
