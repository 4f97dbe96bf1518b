package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Measures {@code MEMORY USAGE} of one active key per algorithm (the figures in docs/limiter.md)
 * and holds them under a bound, so a change that bloats the state shows up here.
 */
class KeyMemoryIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @ParameterizedTest(name = "{0} after {1} request(s)")
  @CsvSource({
    "TOKEN_BUCKET, 1, 200",
    "GCRA, 1, 200",
    "SLIDING_WINDOW, 1, 200",
    "FIXED_WINDOW, 1, 200",
    "SLIDING_LOG, 1, 250",
    "SLIDING_LOG, 100, 8000",
    "SLIDING_LOG, 1000, 150000",
  })
  void activeKeyStaysSmall(Algorithm algorithm, int requests, long boundBytes) {
    LimitCheck check =
        new LimitCheck(
            LimitDefinition.of(
                // Per hour: one request leaves a token-bucket or gcra key 3.6 s to live (per
                // minute, 60 ms: on a busy machine it expired before MEMORY USAGE ran).
                new LimitId("shop", "orders", "per-user"), algorithm, 1_000, Duration.ofHours(1)),
            "sub=alice@example.com");
    try (RateLimiter limiter =
        RedisLimiterFactory.create(
            REDIS.uri(),
            RedisLimiterOptions.defaults("default").withDecisionBudget(Duration.ofSeconds(5)))) {
      for (int i = 0; i < requests; i++) {
        limiter.decide(LimitRequest.of(check)).toCompletableFuture().join();
      }
    }
    String key = new RedisKeys("default").stateKey(check);

    long bytes = Long.parseLong(REDIS.server().cli("MEMORY", "USAGE", key));

    System.out.printf(
        "MEMORY USAGE %s after %d request(s): %d bytes (key name %d bytes, %s)%n",
        algorithm, requests, bytes, key.length(), REDIS.server().cli("OBJECT", "ENCODING", key));
    assertThat(bytes).isPositive().isLessThanOrEqualTo(boundBytes);
  }
}
