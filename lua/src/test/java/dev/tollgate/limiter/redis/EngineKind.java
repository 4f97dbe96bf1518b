package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.TestClock;
import dev.tollgate.limiter.local.LocalRateLimiter;

/** The two engines one behaviour table runs against, both on the test clock. */
enum EngineKind {
  LUA {
    @Override
    RateLimiter open(String redisUri, TestClock clock) {
      return FixedClockEngines.redis(redisUri, clock);
    }
  },
  IN_PROCESS {
    @Override
    RateLimiter open(String redisUri, TestClock clock) {
      return new LocalRateLimiter(clock, 64L << 20);
    }
  };

  abstract RateLimiter open(String redisUri, TestClock clock);
}
