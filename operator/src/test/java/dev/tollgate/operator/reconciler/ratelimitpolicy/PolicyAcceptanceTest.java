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
                "shop", targeting("orders", "carts"), List.of(), Set.of("carts", "orders")))
        .isEqualTo(
            DesiredCondition.isTrue("Accepted", "Accepted", "attached to Route carts, orders"));
  }

  @Test
  void namesEveryMissingTargetAndTheNamespace() {
    assertThat(
            PolicyAcceptance.accepted(
                "shop", targeting("orders", "carts", "a"), List.of(), Set.of("carts")))
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
            PolicyAcceptance.accepted("shop", targeting("orders"), List.of(unknownZone), Set.of()))
        .isEqualTo(
            DesiredCondition.isFalse(
                "Accepted",
                "Invalid",
                "spec.limits[0].window.timeZone: 'Europe/Berln' is not a time zone"));
  }

  @Test
  void listsTargetsOnceAndSorted() {
    assertThat(PolicyAcceptance.targetNames(targeting("b", "a", "b"))).isEqualTo(List.of("a", "b"));
  }
}
