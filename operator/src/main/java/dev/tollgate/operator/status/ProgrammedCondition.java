package dev.tollgate.operator.status;

import dev.tollgate.api.common.ConditionReason;
import dev.tollgate.api.common.ConditionType;
import dev.tollgate.operator.feedback.AppliedCount;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;

/**
 * The {@code Programmed} decision, shared by both kinds: is the resource's current generation in a
 * config version stored in Redis, how many live gateways serve that version or a newer one, and
 * whether any of them left the resource out (then it is not programmed, and the message says why).
 */
public final class ProgrammedCondition {
  private ProgrammedCondition() {}

  /**
   * @param accepted the resource's Accepted condition (a resource left out of the snapshot says
   *     why)
   * @param inSnapshot whether the compiler includes the resource at all
   * @param version the stored config version containing the resource's current generation
   * @param writeError why the last snapshot write failed, while it keeps failing
   * @param applied how the live gateways took the resource in a given version
   */
  public static DesiredCondition of(
      DesiredCondition accepted,
      boolean inSnapshot,
      OptionalLong version,
      Optional<String> writeError,
      LongFunction<AppliedCount> applied) {
    if (!inSnapshot) {
      return DesiredCondition.isFalse(
          ConditionType.PROGRAMMED,
          ConditionReason.NOT_ACCEPTED,
          "left out of the config snapshot: " + accepted.message());
    }
    if (version.isEmpty() && writeError.isPresent()) {
      return DesiredCondition.isFalse(
          ConditionType.PROGRAMMED,
          ConditionReason.WRITE_FAILED,
          "cannot write the config snapshot to Redis (retrying): " + writeError.get());
    }
    if (version.isEmpty()) {
      return DesiredCondition.isFalse(
          ConditionType.PROGRAMMED,
          ConditionReason.PENDING,
          "waiting for a config version containing this generation to be written to Redis");
    }
    AppliedCount count = applied.apply(version.getAsLong());
    return count.refused() > 0
        ? DesiredCondition.isFalse(
            ConditionType.PROGRAMMED, ConditionReason.REFUSED_BY_GATEWAY, count.message())
        : DesiredCondition.isTrue(
            ConditionType.PROGRAMMED, ConditionReason.PROGRAMMED, count.message());
  }
}
