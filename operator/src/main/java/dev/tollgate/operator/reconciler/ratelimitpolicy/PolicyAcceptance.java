package dev.tollgate.operator.reconciler.ratelimitpolicy;

import dev.tollgate.api.common.ConditionReason;
import dev.tollgate.api.common.ConditionType;
import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;
import dev.tollgate.operator.status.DesiredCondition;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The policy's {@code Accepted} decision from plain data: its spec and the names of the Routes that
 * exist in its namespace. A policy whose target is missing stays in the snapshot (it attaches to
 * nothing) so it takes effect as soon as the Route appears.
 */
public final class PolicyAcceptance {
  private PolicyAcceptance() {}

  public static DesiredCondition accepted(
      String namespace, RateLimitPolicySpec spec, Set<String> existingRoutes) {
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
