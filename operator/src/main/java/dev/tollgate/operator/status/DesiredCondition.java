package dev.tollgate.operator.status;

import dev.tollgate.api.common.ConditionStatus;

/**
 * A condition as a decision function computes it: everything but the bookkeeping fields
 * (observedGeneration, lastTransitionTime), which {@link StatusConditions} fills in.
 */
public record DesiredCondition(String type, String status, String reason, String message) {
  public static DesiredCondition isTrue(String type, String reason, String message) {
    return new DesiredCondition(type, ConditionStatus.TRUE, reason, message);
  }

  public static DesiredCondition isFalse(String type, String reason, String message) {
    return new DesiredCondition(type, ConditionStatus.FALSE, reason, message);
  }

  public static DesiredCondition unknown(String type, String reason, String message) {
    return new DesiredCondition(type, ConditionStatus.UNKNOWN, reason, message);
  }

  public boolean isFalse() {
    return ConditionStatus.FALSE.equals(status);
  }
}
