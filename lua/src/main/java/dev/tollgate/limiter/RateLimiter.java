package dev.tollgate.limiter;

import java.util.concurrent.CompletionStage;

/**
 * Decides requests against their limits. Implemented by the Redis engine (shared across gateway
 * pods) and the in-process engine (embedded default and fail-local), so callers can swap them.
 *
 * <p>The stage completes with a {@link LimitDecision}, or exceptionally with a {@link
 * LimiterUnavailableException} when the backend failed or exceeded its time budget; what to do then
 * (fail open, closed or local) is the caller's policy.
 */
public interface RateLimiter extends AutoCloseable {
  CompletionStage<LimitDecision> decide(LimitRequest request);

  @Override
  void close();
}
