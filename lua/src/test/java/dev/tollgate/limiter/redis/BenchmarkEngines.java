package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.RateLimiter;

/** Redis engines for the limiter benchmark: the production engine, and one that never batches. */
public final class BenchmarkEngines {
  private BenchmarkEngines() {}

  /**
   * @param batched false sends every script call at once and alone (one EVALSHA per request and
   *     slot, any number out), the engine as it was before batching: the baseline batching is
   *     measured against
   */
  public static RateLimiter redis(String url, RedisLimiterOptions options, boolean batched) {
    return RedisLimiterFactory.connect(
        url, options, LimiterScript.production(), ScriptClock.REDIS_TIME, batched);
  }
}
