package dev.tollgate.operator.reconciler.ratelimitpolicy;

import dev.tollgate.api.common.ConditionReason;
import dev.tollgate.api.common.ConditionType;
import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.rules.Problem;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The policy's {@code Accepted} decision from plain data: the rulebook's verdict, its spec and the
 * names of the Routes that exist in its namespace. A policy with problems is left out of the
 * snapshot (its status names them). A policy whose target is missing stays in the snapshot (it
 * attaches to nothing) so it takes effect as soon as the Route appears.
 */
public final class PolicyAcceptance {
  private PolicyAcceptance() {}

  /**
   * @param problems the rulebook's verdict on the policy
   */
  public static DesiredCondition accepted(
      String namespace,
      RateLimitPolicySpec spec,
      List<Problem> problems,
      Set<String> existingRoutes) {
    if (!problems.isEmpty()) {
      return DesiredCondition.isFalse(
          ConditionType.ACCEPTED, problems.get(0).reason(), Problem.summary(problems));
    }
    List<String> targets = targetNames(spec);
    List<String> missing = targets.stream().filter(t -> !existingRoutes.contains(t)).toList();
    if (!missing.isEmpty()) {
      return DesiredCondition.isFalse(
          ConditionType.ACCEPTED,
          ConditionReason.TARGET_NOT_FOUND,
          "Route "
              + String.join(", ", missing)
              + " not found in namespace "
              + namespace
              + "; the policy applies once it exists");
    }
    return DesiredCondition.isTrue(
        ConditionType.ACCEPTED,
        ConditionReason.ACCEPTED,
        "attached to Route " + String.join(", ", targets));
  }

  public static List<String> targetNames(RateLimitPolicySpec spec) {
    return Optional.ofNullable(spec.getTargetRefs()).orElse(List.of()).stream()
        .map(TargetRef::getName)
        .distinct()
        .sorted()
        .toList();
  }
}
