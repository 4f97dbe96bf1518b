package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitOutcome;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.TestClock;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Refill matches the rate exactly, also when the interval is not a whole number of microseconds (7
 * per minute: one every 8,571,428.57 us).
 */
class RefillIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final LimitId ID = new LimitId("shop", "orders", "per-user");

  static Stream<Arguments> exactAlgorithms() {
    return Arrays.stream(EngineKind.values())
        .flatMap(
            engine ->
                Stream.of(
                        Algorithm.TOKEN_BUCKET,
                        Algorithm.GCRA,
                        Algorithm.FIXED_WINDOW,
                        Algorithm.SLIDING_LOG)
                    .map(algorithm -> Arguments.of(engine, algorithm)));
  }

  /**
   * Start empty of use, try every second for an hour (3,601 tries). Buckets: 7 at once plus 60 x 7
   * refilled. Windows (aligned to the minute): 7 in each of 60 windows, plus 1 at 3,600 s.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("exactAlgorithms")
  void admitsTheRateOverAnHour(EngineKind engine, Algorithm algorithm) {
    LimitCheck check =
        new LimitCheck(LimitDefinition.of(ID, algorithm, 7, Duration.ofMinutes(1)), "sub=alice");
    TestClock clock = TestClock.aDayAhead();
    int admitted = 0;
    try (RateLimiter limiter = engine.open(REDIS.uri(), clock)) {
      for (int second = 0; second <= 3_600; second++) {
        admitted += decide(limiter, check).allowed() ? 1 : 0;
        clock.advance(Duration.ofSeconds(1));
      }
    }
    assertThat(admitted).isEqualTo(algorithm.usesBurst() ? 7 + 60 * 7 : 60 * 7 + 1);
  }

  static Stream<Arguments> buckets() {
    return Arrays.stream(EngineKind.values())
        .flatMap(
            engine ->
                Stream.of(Algorithm.TOKEN_BUCKET, Algorithm.GCRA)
                    .map(algorithm -> Arguments.of(engine, algorithm)));
  }

  /** Seven per minute refills one every 8,571,428.57 us: not floored, not a microsecond early. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("buckets")
  void fractionalRateRefillsOnTheMicrosecond(EngineKind engine, Algorithm algorithm) {
    LimitCheck check =
        new LimitCheck(LimitDefinition.of(ID, algorithm, 7, Duration.ofMinutes(1)), "sub=bob");
    TestClock clock = TestClock.aDayAhead();
    try (RateLimiter limiter = engine.open(REDIS.uri(), clock)) {
      for (int i = 0; i < 7; i++) {
        decide(limiter, check);
      }
      LimitOutcome empty = decide(limiter, check);
      assertThat(empty.retryAfter()).isEqualTo(Duration.ofNanos(8_571_429_000L));

      clock.advanceMicros(8_571_428);
      LimitOutcome almost = decide(limiter, check);
      assertThat(almost.allowed()).isFalse();
      assertThat(almost.retryAfter()).isEqualTo(Duration.ofNanos(1_000));

      clock.advanceMicros(1);
      assertThat(decide(limiter, check).allowed()).isTrue();
    }
  }

  private static LimitOutcome decide(RateLimiter limiter, LimitCheck check) {
    return limiter
        .decide(LimitRequest.of(check))
        .toCompletableFuture()
        .join()
        .outcomes()
        .getFirst();
  }
}
