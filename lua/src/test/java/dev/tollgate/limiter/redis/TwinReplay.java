package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.TestClock;
import dev.tollgate.limiter.local.LocalRateLimiter;
import io.lettuce.core.api.sync.RedisKeyCommands;
import java.time.Duration;
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
 * every decision must be identical, and after every script every key must have a TTL. A failure
 * message names the seed and step; replay a seed with {@code -Dtollgate.seed=<seed>}.
 */
final class TwinReplay {
  private static final int STEPS = 300;
  private static final long[] PERIODS_MICROS = {
    1_000, 250_000, 1_000_000, 7_000_000, 60_000_000, 3_600_000_000L
  };

  /** A token bucket of burst 15 refilling 1 per hour is full after 15 hours. */
  private static final long LONGEST_TTL_MICROS = 15 * 3_600_000_000L + 1_000;

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
    try (RedisRateLimiter lua = FixedClockEngines.redis(redisUri, clock);
        LocalRateLimiter twin = new LocalRateLimiter(clock, 10_000)) {
      for (int step = 0; step < STEPS; step++) {
        String where = "seed " + seed + " step " + step;
        if (random.nextInt(20) == 0 && edits) {
          int edited = random.nextInt(limits.size());
          LimitDefinition old = limits.get(edited);
          limits.set(edited, randomNumbers(old.id(), old.algorithm(), random));
        }
        clock.advanceMicros(randomAdvance(random, limits.get(0)));
        expireInVirtualTime(redis, clock);
        LimitRequest request = randomRequest(random, limits);

        LimitDecision expected = twin.decideNow(request);
        LimitDecision actual = lua.decide(request).toCompletableFuture().join();

        assertThat(actual).as("%s: %s", where, request).isEqualTo(expected);
        for (String key : redis.keys("tollgate:*")) {
          assertThat(redis.pexpiretime(key) * 1_000 - clock.micros())
              .as("%s: TTL of %s (virtual microseconds)", where, key)
              .isPositive()
              .isLessThanOrEqualTo(LONGEST_TTL_MICROS);
        }
      }
    }
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
    long requests = 1 + random.nextInt(12);
    long period = PERIODS_MICROS[random.nextInt(PERIODS_MICROS.length)];
    long burst = 1 + random.nextInt(15);
    return new LimitDefinition(id, algorithm, requests, Duration.ofNanos(period * 1_000), burst);
  }

  /** Mostly steps around the emission interval, sometimes none, sometimes whole periods. */
  private static long randomAdvance(Random random, LimitDefinition limit) {
    long period = limit.periodMicros();
    return switch (random.nextInt(6)) {
      case 0 -> 0;
      case 1 -> random.nextInt(1_000);
      case 2 -> (long) (random.nextDouble() * 2 * period);
      default -> (long) (random.nextDouble() * 2 * period / limit.requests());
    };
  }

  private static LimitRequest randomRequest(Random random, List<LimitDefinition> limits) {
    List<Integer> indexes = new ArrayList<>(List.of(0, 1, 2));
    Collections.shuffle(indexes, random);
    int count = 1 + random.nextInt(limits.size());
    List<LimitCheck> checks = new ArrayList<>();
    for (int index : indexes.subList(0, count)) {
      checks.add(
          new LimitCheck(limits.get(index), KEY_VALUES.get(random.nextInt(KEY_VALUES.size()))));
    }
    long cost = random.nextInt(5) == 0 ? 1 + random.nextInt(3) : 1;
    return new LimitRequest(checks, cost);
  }
}
