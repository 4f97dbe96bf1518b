package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.TestClock;
import dev.tollgate.rules.LimitBounds;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every algorithm at the edges of the engine's bounds (docs/limiter.md, "Bounds"), on both engines:
 * a billion requests per 366 days and per millisecond, where the products of a count and a time
 * reach 3.2e22 and a Lua number is exact only below 2^53 (9.0e15). The expected figures are worked
 * out by hand in the comments: at 1e9 per 366 days one request refills every 31,622.4 us, so a
 * floored or rounded interval, or a product that lost its last digits, shows as a figure off by one
 * microsecond or one request. Sliding-log stops at 100,000 requests (one entry each).
 */
class QuotaBoundsIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final long BILLION = LimitBounds.MAX_REQUESTS;
  private static final Duration DAYS_366 = LimitBounds.MAX_PERIOD;
  private static final long PERIOD = DAYS_366.toNanos() / 1_000; // 31,622,400,000,000 us
  private static final Duration MILLISECOND = LimitBounds.MIN_PERIOD;

  static Stream<Arguments> buckets() {
    return pairs(Algorithm.TOKEN_BUCKET, Algorithm.GCRA);
  }

  /**
   * 1e9 per 366 days, burst 1e9: the whole burst at once, then the next request exactly when the
   * first token is back: 31,622.4 us, so not after 31,622 us, and after 31,623.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("buckets")
  void billionPer366DaysRefillsOneRequestEvery31622Point4Microseconds(
      EngineKind engine, Algorithm algorithm) {
    try (ClientQuota quota = quota(engine, algorithm, BILLION, DAYS_366)) {
      quota.expect(BILLION, true, 0, PERIOD, 0);
      quota.expect(1, false, 0, PERIOD, 31_623);
      quota.advance(31_622);
      // 31,622 x 1e9 / P = 0.99999 tokens; the missing 0.4 of an interval rounds up to 1 us
      quota.expect(1, false, 0, PERIOD - 31_622, 1);
      quota.advance(1);
      // one token back with 0.6 us to spare: full again in P - 0.6 us, rounded up to P
      quota.expect(1, true, 0, PERIOD, 0);
    }
  }

  /**
   * 999,999,937 per 366 days (an interval of 31,622.40199 us): 1e9 us after the burst was spent,
   * 1e9 x 999,999,937 / P = 31,623.77 requests are back, with the bucket full again in P - 1e9 us.
   * A request of 31,624 waits the missing 0.23 of an interval: 26,841 us.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("buckets")
  void unevenBillionPer366DaysKeepsEveryFraction(EngineKind engine, Algorithm algorithm) {
    long requests = 999_999_937;
    try (ClientQuota quota = quota(engine, algorithm, requests, DAYS_366)) {
      quota.expect(requests, true, 0, PERIOD, 0);
      quota.advance(1_000_000_000);
      quota.expect(31_624, false, 31_623, PERIOD - 1_000_000_000, 26_841);
      quota.expect(1, true, 31_622, 31_621_400_031_623L, 0);
    }
  }

  /** 1e9 per millisecond: a million requests refill every microsecond. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("buckets")
  void billionPerMillisecondRefillsAMillionPerMicrosecond(EngineKind engine, Algorithm algorithm) {
    try (ClientQuota quota = quota(engine, algorithm, BILLION, MILLISECOND)) {
      quota.expect(BILLION, true, 0, 1_000, 0);
      quota.advance(1);
      quota.expect(1_000_001, false, 1_000_000, 999, 1);
      quota.expect(1_000_000, true, 0, 1_000, 0);
    }
  }

  /**
   * A token bucket raised from 1 per 366 days to 1e9 per millisecond: 300 days later the old
   * state's refill is 2.6e19 tokens, past a long's and a Lua number's exact range; it fills the
   * bucket. (gcra keeps the old debt in time instead, see docs/limiter.md "Limit edits".)
   */
  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void aRefillFarBeyondExactNumbersFillsTheBucket(EngineKind engine) {
    TestClock clock = alignedStart();
    LimitId id = new LimitId("shop", "quota", "raised");
    Algorithm bucket = Algorithm.TOKEN_BUCKET;
    try (ClientQuota yearly =
        new ClientQuota(
            engine.open(REDIS.uri(), clock), clock, LimitDefinition.of(id, bucket, 1, DAYS_366))) {
      yearly.expect(1, true, 0, PERIOD, 0);
      yearly.advance(Duration.ofDays(300));
      yearly
          .withLimit(LimitDefinition.of(id, bucket, BILLION, MILLISECOND))
          .expect(1, true, BILLION - 1, 1, 0);
    }
  }

  static Stream<Arguments> fixedWindows() {
    return pairs(Algorithm.FIXED_WINDOW);
  }

  /** Windows aligned to the epoch: the clock starts on a multiple of 366 days. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("fixedWindows")
  void fixedWindowOfABillionPer366DaysEndsOnTheMicrosecond(EngineKind engine, Algorithm algorithm) {
    try (ClientQuota quota = quota(engine, algorithm, BILLION, DAYS_366)) {
      quota.expect(BILLION - 1, true, 1, PERIOD, 0);
      quota.expect(2, false, 1, PERIOD, PERIOD);
      quota.expect(1, true, 0, PERIOD, 0);
      quota.advance(PERIOD - 1);
      quota.expect(1, false, 0, 1, 1);
      quota.advance(1);
      quota.expect(BILLION, true, 0, PERIOD, 0);
    }
    try (ClientQuota perMillisecond = quota(engine, algorithm, BILLION, MILLISECOND)) {
      perMillisecond.expect(BILLION, true, 0, 1_000, 0);
      perMillisecond.advance(999);
      perMillisecond.expect(1, false, 0, 1, 1);
      perMillisecond.advance(1);
      perMillisecond.expect(BILLION, true, 0, 1_000, 0);
    }
  }

  static Stream<Arguments> slidingWindows() {
    return pairs(Algorithm.SLIDING_WINDOW);
  }

  /**
   * A full previous window weighs 1e9 x (P - elapsed) / P: at 158,112 us into the next window
   * exactly 1e9 - 5 (5 intervals of 31,622.4 us), so 5 fit and a sixth must wait until 6 intervals
   * (189,734.4 us) have passed: 31,623 us later, not 31,622.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("slidingWindows")
  void slidingWindowWeighsABillionExactly(EngineKind engine, Algorithm algorithm) {
    try (ClientQuota quota = quota(engine, algorithm, BILLION, DAYS_366)) {
      quota.expect(BILLION, true, 0, 2 * PERIOD, 0);
      quota.advance(PERIOD + 158_112);
      quota.expect(6, false, 5, PERIOD - 158_112, 31_623);
      quota.expect(5, true, 0, 2 * PERIOD - 158_112, 0);
      quota.advance(31_622);
      quota.expect(1, false, 0, 2 * PERIOD - 189_734, 1);
      quota.advance(1);
      quota.expect(1, true, 0, 2 * PERIOD - 189_735, 0);
    }
    try (ClientQuota perMillisecond = quota(engine, algorithm, BILLION, MILLISECOND)) {
      perMillisecond.expect(BILLION, true, 0, 2_000, 0);
      // 1 us into the next window the previous billion weighs 999/1000 of it
      perMillisecond.advance(1_001);
      perMillisecond.expect(1_000_001, false, 1_000_000, 999, 1);
      perMillisecond.expect(1_000_000, true, 0, 1_999, 0);
    }
  }

  static Stream<Arguments> slidingLogs() {
    return pairs(Algorithm.SLIDING_LOG);
  }

  /**
   * 100,000 entries (the sliding-log cap) over 366 days leave the period on the microsecond. Added
   * 10,000 at a time: one entry per unit makes a request of 100,000 take Redis most of a second.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("slidingLogs")
  void slidingLogOfItsCapPer366Days(EngineKind engine, Algorithm algorithm) {
    long cap = LimitBounds.MAX_SLIDING_LOG_REQUESTS;
    try (ClientQuota quota = quota(engine, algorithm, cap, DAYS_366)) {
      for (long used = 10_000; used <= cap; used += 10_000) {
        quota.expect(10_000, true, cap - used, PERIOD, 0);
      }
      quota.expect(1, false, 0, PERIOD, PERIOD);
      quota.advance(PERIOD - 1);
      quota.expect(1, false, 0, 1, 1);
      quota.advance(1);
      quota.expect(1, true, cap - 1, PERIOD, 0);
    }
    try (ClientQuota perMillisecond = quota(engine, algorithm, 1_000, MILLISECOND)) {
      perMillisecond.expect(1_000, true, 0, 1_000, 0);
      perMillisecond.advance(999);
      perMillisecond.expect(1, false, 0, 1, 1);
      perMillisecond.advance(1);
      perMillisecond.expect(1_000, true, 0, 1_000, 0);
    }
  }

  /** The key holding a 366-day state expires when the state becomes irrelevant, not earlier. */
  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"TOKEN_BUCKET", "GCRA", "FIXED_WINDOW"})
  void keysOf366DayLimitsLiveAsLongAsTheirState(Algorithm algorithm) {
    try (ClientQuota quota = quota(EngineKind.LUA, algorithm, BILLION, DAYS_366)) {
      quota.expect(BILLION, true, 0, PERIOD, 0);
      assertThat(quota.redisExpiryMicros(REDIS.server()) - quota.clock().micros())
          .isEqualTo(PERIOD);
    }
  }

  private static ClientQuota quota(
      EngineKind engine, Algorithm algorithm, long requests, Duration period) {
    TestClock clock = alignedStart();
    return new ClientQuota(
        engine.open(REDIS.uri(), clock),
        clock,
        LimitDefinition.of(new LimitId("shop", "quota", "edge"), algorithm, requests, period));
  }

  private static Stream<Arguments> pairs(Algorithm... algorithms) {
    return Arrays.stream(EngineKind.values())
        .flatMap(engine -> Arrays.stream(algorithms).map(a -> Arguments.of(engine, a)));
  }

  /**
   * A multiple of 366 days at least a day ahead, so epoch-aligned windows of 366 days and of a
   * millisecond start on it, and no key's expiry lies in Redis' real past.
   */
  private static TestClock alignedStart() {
    long dayAhead = (Instant.now().getEpochSecond() + 86_400) * 1_000_000;
    return new TestClock((dayAhead / PERIOD + 1) * PERIOD);
  }
}
