package dev.tollgate.limiter;

import java.util.Comparator;
import java.util.List;

/**
 * The answer for one {@link LimitRequest}: admitted only if every limit admitted it, with the
 * figures of each limit and the most restrictive one (what {@code X-RateLimit-*} headers and {@code
 * Retry-After} report).
 */
public record LimitDecision(boolean allowed, List<LimitOutcome> outcomes) {
  private static final Comparator<LimitOutcome> BY_RETRY_AFTER =
      Comparator.comparing(LimitOutcome::retryAfter);
  private static final Comparator<LimitOutcome> BY_REMAINING =
      Comparator.comparingLong(LimitOutcome::remaining)
          .thenComparing(LimitOutcome::reset, Comparator.reverseOrder());

  public LimitDecision {
    outcomes = List.copyOf(outcomes);
    if (outcomes.isEmpty()) {
      throw new IllegalArgumentException("outcomes: a decision needs at least one limit");
    }
    if (allowed != outcomes.stream().allMatch(LimitOutcome::allowed)) {
      throw new IllegalArgumentException(
          "allowed: " + allowed + " contradicts the per-limit outcomes " + outcomes);
    }
  }

  /** The decision the outcomes imply: admitted only if every limit admitted. */
  public static LimitDecision of(List<LimitOutcome> outcomes) {
    return new LimitDecision(outcomes.stream().allMatch(LimitOutcome::allowed), outcomes);
  }

  /**
   * The limit that binds: when rejected, the rejecting limit that asks to wait longest; when
   * admitted, the one with the fewest requests left (ties: the one that takes longest to reset).
   */
  public LimitOutcome mostRestrictive() {
    if (allowed) {
      return outcomes.stream().min(BY_REMAINING).orElseThrow();
    }
    return outcomes.stream()
        .filter(outcome -> !outcome.allowed())
        .max(BY_RETRY_AFTER)
        .orElseThrow();
  }
}
