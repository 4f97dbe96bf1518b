package dev.tollgate.limiter;

import java.time.Duration;

/**
 * The figures of one limit for one request, as the IETF RateLimit fields and 429 responses need.
 *
 * @param allowed whether this limit alone admits the request (the request passes only if all do)
 * @param limit the limit's capacity (burst of a bucket, else requests per period)
 * @param remaining requests left now: after this request when the whole request was admitted,
 *     otherwise untouched (a rejected request consumes nothing)
 * @param reset time until the limit is back to full capacity
 * @param retryAfter time until this request would be admitted; zero when allowed
 */
public record LimitOutcome(
    LimitCheck check,
    boolean allowed,
    long limit,
    long remaining,
    Duration reset,
    Duration retryAfter) {

  public static LimitOutcome allowed(LimitCheck check, long limit, long remaining, Duration reset) {
    return new LimitOutcome(check, true, limit, remaining, reset, Duration.ZERO);
  }

  public static LimitOutcome limited(
      LimitCheck check, long limit, long remaining, Duration reset, Duration retryAfter) {
    return new LimitOutcome(check, false, limit, remaining, reset, retryAfter);
  }

  /** Builds the outcome from the microsecond figures the algorithms compute. */
  public static LimitOutcome ofMicros(
      LimitCheck check, boolean allowed, long remaining, long resetMicros, long retryMicros) {
    long limit = check.limit().capacity();
    Duration reset = Duration.ofNanos(resetMicros * 1_000);
    return allowed
        ? allowed(check, limit, remaining, reset)
        : limited(check, limit, remaining, reset, Duration.ofNanos(retryMicros * 1_000));
  }
}
