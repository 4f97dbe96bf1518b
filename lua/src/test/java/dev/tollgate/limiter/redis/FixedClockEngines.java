package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.TestClock;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Redis engines whose script reads time from the test clock (clock-fixed.lua, a test resource), so
 * a test can replay exact times against Redis and the in-process twins.
 */
public final class FixedClockEngines {
  private static final LimiterScript FIXED_CLOCK_SCRIPT =
      LimiterScript.compose("decide-fixed-clock", "clock-fixed.lua");

  private FixedClockEngines() {}

  public static RedisRateLimiter redis(String url, TestClock clock) {
    return redis(url, clock, clock);
  }

  /**
   * @param redisClock the time the script decides at (Redis TIME in production)
   * @param gatewayClock the engine's own clock (calendar windows send boundaries around it)
   */
  static RedisRateLimiter redis(String url, TestClock redisClock, InstantSource gatewayClock) {
    return RedisLimiterFactory.connect(
        url,
        RedisLimiterOptions.defaults("test").withDecisionBudget(Duration.ofSeconds(10)),
        FIXED_CLOCK_SCRIPT,
        new ScriptClock(redisClock::argument, gatewayClock));
  }
}
