package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.testkit.redis.RedisServerExtension;
import dev.tollgate.testkit.redis.SentinelProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The factory finds the master through a real Redis Sentinel from a redis-sentinel:// URL. */
class RedisSentinelRateLimiterIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void decidesOnTheMasterTheSentinelNames() {
    LimitCheck check =
        new LimitCheck(
            LimitDefinition.of(
                new LimitId("shop", "orders", "per-user"),
                Algorithm.FIXED_WINDOW,
                2,
                Duration.ofHours(1)),
            "sub=alice");
    try (SentinelProcess sentinel = new SentinelProcess(REDIS.server())) {
      await().atMost(Duration.ofSeconds(20)).until(sentinel::knowsMaster);
      try (RateLimiter limiter =
          RedisLimiterFactory.create(
              sentinel.uri(),
              RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofSeconds(5)))) {
        assertThat(decide(limiter, check)).isTrue();
        assertThat(decide(limiter, check)).isTrue();
        assertThat(decide(limiter, check)).isFalse();
      }
    }
    assertThat(REDIS.server().cli("DBSIZE")).isEqualTo("1");
  }

  private static boolean decide(RateLimiter limiter, LimitCheck check) {
    return limiter.decide(LimitRequest.of(check)).toCompletableFuture().join().allowed();
  }
}
