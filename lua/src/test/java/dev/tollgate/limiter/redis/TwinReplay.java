package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.CalendarWindow;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.TestClock;
import dev.tollgate.limiter.local.LocalRateLimiter;
import dev.tollgate.rules.LimitBounds;
import io.lettuce.core.api.sync.RedisKeyCommands;
import java.math.BigInteger;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * One seeded random request/time sequence, including mid-stream edits of the numbers, replayed
 * against the Lua script (time injected by the test-only clock fragment) and the in-process twin:
 * every decision must be identical, and after every script every key must have a TTL no longer than
 * its numbers allow. Numbers range over the whole engine: half the limits are small (where
 * rejections are frequent), half anywhere within the bounds (requests up to 1e9, periods from 1 ms
 * to 366 days, bursts up to what refills in 366 days, costs up to past the capacity), and a
 * fixed-window limit is a calendar day, week or month in a zone with DST (or a DST gap at midnight)
 * a third of the time. A failure message names the seed and step; replay a seed with {@code
 * -Dtollgate.seed=<seed>}.
 */
final class TwinReplay {
  private static final int STEPS = 300;
  private static final long[] PERIODS_MICROS = {
    1_000, 250_000, 1_000_000, 7_000_000, 60_000_000, 3_600_000_000L
  };
  private static final long MAX_PERIOD_MICROS = LimitBounds.MAX_PERIOD.toNanos() / 1_000;

  /**
   * Time moves by at most 40 days per step except in one step of 40: 300 steps stay within about 20
   * years of the start, whose Lua numbers stay exact up to 2255 (2^53 microseconds).
   */
  private static final long LONG_STEP_MICROS = Duration.ofDays(40).toNanos() / 1_000;

  /** Zones with DST at 02:00 or 03:00, a 30-minute DST, a DST gap at midnight, none at all. */
  private static final List<String> ZONES =
      List.of(
          "Europe/Berlin",
          "America/New_York",
          "Australia/Lord_Howe",
          "America/Santiago",
          "Asia/Kolkata",
          "UTC");

  /** Three key values: on a cluster their tags land in different slots (refund path). */
  private static final List<String> KEY_VALUES = List.of("alice", "bob", "");

  private TwinReplay() {}

  /** (algorithm, seed) pairs: {@code perAlgorithm} fresh seeds each, or the one to replay. */
  static Stream<Arguments> runs(int perAlgorithm) {
    Long replay = Long.getLong("tollgate.seed");
    Random seeds = new Random(System.nanoTime());
    return Arrays.stream(Algorithm.values())
        .flatMap(
            algorithm ->
                IntStream.range(0, replay != null ? 1 : perAlgorithm)
                    .mapToObj(
                        i -> Arguments.of(algorithm, replay != null ? replay : seeds.nextLong())));
  }

  /**
   * @param edits whether the numbers of limits change mid-stream
   */
  static void replay(
      Algorithm primary,
      long seed,
      String redisUri,
      RedisKeyCommands<String, String> redis,
      boolean edits) {
    Random random = new Random(seed);
    // Far in the future (2200), so no key's virtual expiry is in Redis' real past.
    TestClock clock = new TestClock(7_258_118_400_000_000L + random.nextInt(1_000_000_000));
    List<LimitDefinition> limits = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Algorithm algorithm =
          i == 0 ? primary : Algorithm.values()[random.nextInt(Algorithm.values().length)];
      limits.add(randomNumbers(new LimitId("shop", "policy", "limit-" + i), algorithm, random));
    }
    long longestTtl = limits.stream().mapToLong(TwinReplay::longestTtlMicros).max().orElseThrow();
    try (RedisRateLimiter lua = FixedClockEngines.redis(redisUri, clock);
        LocalRateLimiter twin = new LocalRateLimiter(clock, 64L << 20)) {
      for (int step = 0; step < STEPS; step++) {
        String where = "seed " + seed + " step " + step;
        if (random.nextInt(20) == 0 && edits) {
          int edited = random.nextInt(limits.size());
          LimitDefinition old = limits.get(edited);
          limits.set(edited, randomNumbers(old.id(), old.algorithm(), random));
          longestTtl = Math.max(longestTtl, longestTtlMicros(limits.get(edited)));
        }
        clock.advanceMicros(randomAdvance(random, limits.get(0), clock.micros()));
        expireInVirtualTime(redis, clock);
        LimitRequest request = randomRequest(random, limits);

        LimitDecision expected = twin.decideNow(request);
        LimitDecision actual = lua.decide(request).toCompletableFuture().join();

        assertThat(actual).as("%s: %s", where, request).isEqualTo(expected);
        for (String key : redis.keys("tollgate:*")) {
          assertThat(redis.pexpiretime(key) * 1_000 - clock.micros())
              .as("%s: TTL of %s (virtual microseconds)", where, key)
              .isPositive()
              .isLessThanOrEqualTo(longestTtl);
        }
      }
    }
  }

  /**
   * Mostly 1, sometimes 2-3, sometimes up to past the capacity (a sliding log adds one entry per
   * unit, so its costs stay below 1,000).
   */
  private static long randomCost(Random random, LimitDefinition limit) {
    return switch (random.nextInt(10)) {
      case 0, 1 -> 1 + random.nextInt(3);
      case 2 ->
          logUniform(
              random,
              limit.algorithm() == Algorithm.SLIDING_LOG
                  ? Math.min(999, limit.capacity() + 1)
                  : limit.capacity() + 1);
      default -> 1;
    };
  }

  /**
   * Expiry emulated on the virtual clock. The script sets absolute expiry times (PEXPIREAT) from
   * the time it computed with; with the test clock those lie in virtual time, where Redis cannot
   * expire them, so the test deletes what virtual time has expired, as Caffeine does for the twin.
   */
  private static void expireInVirtualTime(RedisKeyCommands<String, String> redis, TestClock clock) {
    for (String key : redis.keys("tollgate:*")) {
      if (redis.pexpiretime(key) * 1_000 <= clock.micros()) {
        redis.del(key);
      }
    }
  }

  private static LimitDefinition randomNumbers(LimitId id, Algorithm algorithm, Random random) {
    if (algorithm == Algorithm.FIXED_WINDOW && random.nextInt(3) == 0) {
      CalendarWindow calendar =
          new CalendarWindow(
              CalendarWindow.Unit.values()[random.nextInt(CalendarWindow.Unit.values().length)],
              ZoneId.of(ZONES.get(random.nextInt(ZONES.size()))));
      long requests = random.nextBoolean() ? 1 + random.nextInt(12) : logUniform(random, 1e9);
      return new LimitDefinition(id, algorithm, requests, calendar, requests);
    }
    if (random.nextBoolean()) {
      long requests = 1 + random.nextInt(12);
      long period = PERIODS_MICROS[random.nextInt(PERIODS_MICROS.length)];
      long burst = 1 + random.nextInt(15);
      return new LimitDefinition(id, algorithm, requests, Duration.ofNanos(period * 1_000), burst);
    }
    long requests = logUniform(random, algorithm == Algorithm.SLIDING_LOG ? 1e5 : 1e9);
    long period = 1_000 * logUniform(random, MAX_PERIOD_MICROS / 1_000.0);
    // burst x period <= requests x 366 days
    double refillable = Math.min(1e9, (double) requests * MAX_PERIOD_MICROS / period);
    long burst = Math.max(1, logUniform(random, refillable) - 1);
    return new LimitDefinition(id, algorithm, requests, Duration.ofNanos(period * 1_000), burst);
  }

  /** Between 1 and {@code max}, evenly spread over orders of magnitude. */
  private static long logUniform(Random random, double max) {
    return Math.max(1, (long) Math.pow(max, random.nextDouble()));
  }

  /** What the algorithm's TTL can reach with these numbers (docs/limiter.md), plus rounding. */
  private static long longestTtlMicros(LimitDefinition limit) {
    if (limit.window() instanceof CalendarWindow) {
      return Duration.ofDays(31).plusHours(1).toNanos() / 1_000;
    }
    long period = limit.periodMicrosAt(0);
    long ttl =
        switch (limit.algorithm()) {
          case TOKEN_BUCKET, GCRA ->
              BigInteger.valueOf(limit.burst())
                      .multiply(BigInteger.valueOf(period))
                      .divide(BigInteger.valueOf(limit.requests()))
                      .longValueExact()
                  + 1;
          case SLIDING_WINDOW -> 2 * period;
          case SLIDING_LOG, FIXED_WINDOW -> period;
        };
    return ttl + 1_000;
  }

  /**
   * Mostly steps around the emission interval, sometimes none, sometimes up to two windows (long
   * windows mostly capped at 40 days, see {@link #LONG_STEP_MICROS}).
   */
  private static long randomAdvance(Random random, LimitDefinition limit, long now) {
    long period = limit.periodMicrosAt(now);
    long window = random.nextInt(40) == 0 ? period : Math.min(period, LONG_STEP_MICROS);
    return switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1 -> random.nextInt(1_000);
      case 2 -> (long) (random.nextDouble() * 2 * window);
      default -> (long) (random.nextDouble() * 2 * window / limit.requests());
    };
  }

  private static LimitRequest randomRequest(Random random, List<LimitDefinition> limits) {
    List<Integer> indexes = new ArrayList<>(List.of(0, 1, 2));
    Collections.shuffle(indexes, random);
    int count = 1 + random.nextInt(limits.size());
    List<LimitCheck> checks = new ArrayList<>();
    for (int index : indexes.subList(0, count)) {
      LimitDefinition limit = limits.get(index);
      checks.add(
          new LimitCheck(
              limit, KEY_VALUES.get(random.nextInt(KEY_VALUES.size())), randomCost(random, limit)));
    }
    return new LimitRequest(checks);
  }
}
