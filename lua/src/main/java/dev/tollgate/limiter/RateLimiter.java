package dev.tollgate.limiter;

import java.util.concurrent.CompletionStage;

/**
 * Decides requests against their limits. Implemented by the Redis engine (shared across gateway
 * pods) and the in-process engine (embedded default and fail-local), so callers can swap them.
 *
 * <p>The stage completes with a {@link LimitDecision}, or exceptionally with a {@link
 * LimiterUnavailableException} when the backend failed or exceeded its time budget; what to do then
 * (fail open, closed or local) is the caller's policy.
 *
 * <p>The stage always completes, at the latest shortly after the engine's time budget (the Redis
 * engine fails decisions past it with a sweep a tick at most late), so a caller may wait for it
 * without a timer of its own.
 */
public interface RateLimiter extends AutoCloseable {
  CompletionStage<LimitDecision> decide(LimitRequest request);

  @Override
  void close();
}
