package dev.tollgate.operator.reconciler.ratelimitpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.rules.Problem;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyAcceptanceTest {
  private static RateLimitPolicySpec targeting(String... routes) {
    RateLimitPolicySpec spec = new RateLimitPolicySpec();
    spec.setTargetRefs(
        java.util.Arrays.stream(routes).map(r -> new TargetRef(TargetRef.Kind.ROUTE, r)).toList());
    return spec;
  }

  @Test
  void acceptsAPolicyWhoseTargetsAllExist() {
    assertThat(
            PolicyAcceptance.accepted(
                "shop",
                targeting("orders", "carts"),
                List.of(),
                t -> Set.of("carts", "orders").contains(t.getName())))
        .isEqualTo(
            DesiredCondition.isTrue("Accepted", "Accepted", "enforced on Route carts, orders"));
  }

  @Test
  void namesEveryMissingTargetAndTheNamespace() {
    assertThat(
            PolicyAcceptance.accepted(
                "shop",
                targeting("orders", "carts", "a"),
                List.of(),
                t -> Set.of("carts").contains(t.getName())))
        .isEqualTo(
            DesiredCondition.isFalse(
                "Accepted",
                "TargetNotFound",
                "Route a, orders not found in namespace shop; the policy applies once it exists"));
  }

  @Test
  void aPolicyTheRulebookRefusesIsInvalidWhateverItsTargets() {
    Problem unknownZone =
        Problem.invalid("spec.limits[0].window.timeZone", "'Europe/Berln' is not a time zone");

    assertThat(
            PolicyAcceptance.accepted(
                "shop", targeting("orders"), List.of(unknownZone), t -> false))
        .isEqualTo(
            DesiredCondition.isFalse(
                "Accepted",
                "Invalid",
                "spec.limits[0].window.timeZone: 'Europe/Berln' is not a time zone"));
  }

  @Test
  void describesTargetsOfEveryKindByKindAndName() {
    List<TargetRef> targets =
        List.of(
            new TargetRef(TargetRef.Kind.GATEWAY, "public"),
            new TargetRef(TargetRef.Kind.HTTP_ROUTE, "web", "checkout"),
            new TargetRef(TargetRef.Kind.ROUTE, "orders"),
            new TargetRef(TargetRef.Kind.HTTP_ROUTE, "api"));

    assertThat(PolicyAcceptance.describe(targets))
        .isEqualTo("Route orders, HTTPRoute api, web#checkout, Gateway public");
  }

  @Test
  void listsTargetsOnceAndSorted() {
    assertThat(PolicyAcceptance.targetNames(targeting("b", "a", "b"))).isEqualTo(List.of("a", "b"));
  }
}
