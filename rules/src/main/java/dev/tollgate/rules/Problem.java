package dev.tollgate.rules;

import dev.tollgate.api.common.ConditionReason;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One thing wrong with a resource: where ({@code spec.limits[0].rate.period}), what, and the {@code
 * Accepted=False} reason it stands for (usually {@link ConditionReason#INVALID}).
 *
 * @param field the field path from the resource's root, as {@code kubectl explain} spells it
 * @param reason the CamelCase condition reason a user can look up in docs/operator.md
 * @param message what is wrong and, where it helps, what would be right
 */
public record Problem(String field, String reason, String message) {
  public Problem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  public static Problem invalid(String field, String message) {
    return new Problem(field, ConditionReason.INVALID, message);
  }

  /**
   * A check or compilation that failed unexpectedly on the resource ({@code stage}: {@code judged},
   * {@code compiled}): what the rules did not foresee, said on that resource alone.
   */
  public static Problem unexpected(String stage, RuntimeException e) {
    return invalid("spec", "cannot be " + stage + ": " + e.getMessage());
  }

  /** Problems shown in one status message; more are summed up, so a message stays readable. */
  static final int SHOWN_IN_SUMMARY = 5;

  /**
   * One line for a status message: the first few problems as {@code field: message}, joined by
   * {@code "; "}, and how many more there are.
   */
  public static String summary(List<Problem> problems) {
    String shown =
        problems.stream()
            .limit(SHOWN_IN_SUMMARY)
            .map(Problem::toString)
            .collect(Collectors.joining("; "));
    int more = problems.size() - SHOWN_IN_SUMMARY;
    return more > 0 ? shown + "; and " + more + " more" : shown;
  }

  /** {@code field: message}, the form every status message and log line uses. */
  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
