package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The production engine (time from Redis TIME) against a real redis-server. */
class RedisRateLimiterIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final int THREADS = 16;
  private static final int ATTEMPTS_PER_THREAD = 50;

  private static LimitDefinition limit(
      String name, Algorithm algorithm, long requests, Duration period) {
    return LimitDefinition.of(new LimitId("shop", "orders", name), algorithm, requests, period);
  }

  private static RateLimiter engine() {
    return RedisLimiterFactory.create(
        REDIS.uri(), RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofSeconds(5)));
  }

  private static LimitDecision decide(RateLimiter limiter, LimitCheck... checks) {
    return limiter.decide(LimitRequest.of(checks)).toCompletableFuture().join();
  }

  /**
   * Two engines (two connections, like two pods), 16 threads, 800 attempts on one key: exactly the
   * limit is admitted. A day-long period keeps the burst inside one fixed/sliding window unless the
   * test straddles midnight UTC; the sliding-window counter may then admit up to its documented
   * bound of 2 x limit - 1.
   */
  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void admitsExactlyTheLimitUnderConcurrencyAcrossTwoEngines(Algorithm algorithm) throws Exception {
    long requests = 100;
    LimitCheck check =
        new LimitCheck(limit("burst", algorithm, requests, Duration.ofDays(1)), "sub=alice");
    int admitted;
    try (RateLimiter first = engine();
        RateLimiter second = engine();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
      List<Future<Integer>> counts =
          IntStream.range(0, THREADS)
              .mapToObj(
                  thread ->
                      pool.submit(
                          () -> {
                            RateLimiter mine = thread % 2 == 0 ? first : second;
                            int allowed = 0;
                            for (int i = 0; i < ATTEMPTS_PER_THREAD; i++) {
                              allowed += decide(mine, check).allowed() ? 1 : 0;
                            }
                            return allowed;
                          }))
              .toList();
      admitted = 0;
      for (Future<Integer> count : counts) {
        admitted += count.get();
      }
    }
    if (algorithm == Algorithm.SLIDING_WINDOW) {
      assertThat(admitted).isBetween((int) requests, (int) (2 * requests - 1));
    } else {
      assertThat(admitted).isEqualTo((int) requests);
    }
  }

  @Test
  void rejectedRequestConsumesFromNoLimit() {
    LimitCheck perMinuteTen =
        new LimitCheck(limit("a", Algorithm.TOKEN_BUCKET, 10, Duration.ofMinutes(1)), "sub=alice");
    LimitCheck perMinuteThree =
        new LimitCheck(limit("b", Algorithm.FIXED_WINDOW, 3, Duration.ofMinutes(1)), "sub=alice");
    try (RateLimiter limiter = engine()) {
      for (int i = 0; i < 3; i++) {
        assertThat(decide(limiter, perMinuteTen, perMinuteThree).allowed()).isTrue();
      }
      LimitDecision rejected = decide(limiter, perMinuteTen, perMinuteThree);

      assertThat(rejected.allowed()).isFalse();
      assertThat(rejected.mostRestrictive().check()).isEqualTo(perMinuteThree);
      assertThat(rejected.outcomes().get(0).remaining()).isEqualTo(7);
      assertThat(decide(limiter, perMinuteTen).outcomes().get(0).remaining()).isEqualTo(6);
    }
  }

  @Test
  void recoversFromScriptFlushWithoutFailingADecision() {
    LimitCheck check =
        new LimitCheck(limit("a", Algorithm.GCRA, 10, Duration.ofMinutes(1)), "sub=alice");
    try (RateLimiter limiter = engine()) {
      assertThat(decide(limiter, check).allowed()).isTrue();
      assertThat(REDIS.server().cli("SCRIPT", "FLUSH")).isEqualTo("OK");

      LimitDecision afterFlush = decide(limiter, check);

      assertThat(afterFlush.allowed()).isTrue();
      assertThat(afterFlush.outcomes().get(0).remaining()).isEqualTo(8);
    }
  }

  @Test
  void setsTheDocumentedTtlOnEveryKey() {
    Duration minute = Duration.ofMinutes(1);
    List<LimitCheck> checks =
        List.of(
            new LimitCheck(limit("tb", Algorithm.TOKEN_BUCKET, 10, minute), "k"),
            new LimitCheck(limit("gcra", Algorithm.GCRA, 10, minute), "k"),
            new LimitCheck(limit("sw", Algorithm.SLIDING_WINDOW, 10, minute), "k"),
            new LimitCheck(limit("sl", Algorithm.SLIDING_LOG, 10, minute), "k"),
            new LimitCheck(limit("fw", Algorithm.FIXED_WINDOW, 10, minute), "k"));
    RedisKeys keys = new RedisKeys("it");
    try (RateLimiter limiter = engine()) {
      limiter.decide(new LimitRequest(checks)).toCompletableFuture().join();
    }
    // One token of ten per minute refills in 6 s; GCRA's TAT is one interval (6 s) ahead.
    assertThat(pttl(keys.stateKey(checks.get(0)))).isBetween(5_000L, 6_000L);
    assertThat(pttl(keys.stateKey(checks.get(1)))).isBetween(5_000L, 6_000L);
    // Sliding window: until the end of the next window, 60-120 s from now.
    assertThat(pttl(keys.stateKey(checks.get(2)))).isBetween(59_000L, 120_000L);
    // Sliding log: one period after the newest entry.
    assertThat(pttl(keys.stateKey(checks.get(3)))).isBetween(59_000L, 60_000L);
    // Fixed window: until the window ends.
    assertThat(pttl(keys.stateKey(checks.get(4)))).isBetween(1L, 60_000L);
  }

  @Test
  void failsWithTimeoutWhenRedisHangs() {
    LimitCheck check =
        new LimitCheck(limit("a", Algorithm.TOKEN_BUCKET, 10, Duration.ofMinutes(1)), "sub=alice");
    try (RateLimiter limiter =
        RedisLimiterFactory.create(
            REDIS.uri(),
            RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofMillis(100)))) {
      assertThat(decide(limiter, check).allowed()).isTrue();
      REDIS.server().pause();
      try {
        assertThatThrownBy(() -> decide(limiter, check))
            .isInstanceOf(CompletionException.class)
            .cause()
            .isInstanceOfSatisfying(
                LimiterUnavailableException.class,
                failure ->
                    assertThat(failure.reason())
                        .isEqualTo(LimiterUnavailableException.Reason.TIMEOUT));
      } finally {
        REDIS.server().resume();
      }
    }
  }

  /**
   * Once the hung Redis's pooled socket timed out, the next decision must open a socket, whose
   * handshake waits for an answer that does not come: that wait must not hold the deciding
   * request's own thread (the budget ends the decision only for a caller that is not stuck in it),
   * so the stage comes back at once and fails at the budget.
   */
  @Test
  void aSocketOpenedToAHungRedisDoesNotHoldTheCallersThread() throws Exception {
    LimitCheck check =
        new LimitCheck(limit("a", Algorithm.TOKEN_BUCKET, 10, Duration.ofMinutes(1)), "sub=bob");
    try (RateLimiter limiter =
        RedisLimiterFactory.create(
            REDIS.uri(),
            RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofSeconds(3)))) {
      assertThat(decide(limiter, check).allowed()).isTrue();
      REDIS.server().pause();
      try {
        // the pooled socket times out and is closed
        assertThatThrownBy(() -> decide(limiter, check)).isInstanceOf(CompletionException.class);

        CompletableFuture<CompletableFuture<LimitDecision>> returned = new CompletableFuture<>();
        Thread.ofVirtual()
            .start(
                () ->
                    returned.complete(
                        limiter.decide(LimitRequest.of(check)).toCompletableFuture()));
        CompletableFuture<LimitDecision> stage = returned.get(30, TimeUnit.SECONDS);

        assertThat(stage).as("the stage the request waits on, as it came back").isNotDone();
        assertThatThrownBy(stage::join).isInstanceOf(CompletionException.class);
      } finally {
        REDIS.server().resume();
      }
    }
  }

  @Test
  void failsFastWhileDisconnectedAndRecoversAfterRedisRestartsAndLosesItsScripts() {
    LimitCheck check =
        new LimitCheck(limit("a", Algorithm.SLIDING_LOG, 10, Duration.ofMinutes(1)), "sub=alice");
    try (RateLimiter limiter = engine()) {
      assertThat(decide(limiter, check).allowed()).isTrue();
      REDIS.server().kill();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  failureReason(limiter, check) == LimiterUnavailableException.Reason.DISCONNECTED);
      REDIS.server().restart();

      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> decide(limiter, check).allowed());
    }
  }

  @Test
  void answersAKnownLimitedClientWithoutRedis() {
    LimitCheck check =
        new LimitCheck(limit("a", Algorithm.FIXED_WINDOW, 2, Duration.ofHours(1)), "sub=alice");
    try (RateLimiter limiter =
        RedisLimiterFactory.create(
            REDIS.uri(),
            RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofMillis(200)))) {
      decide(limiter, check);
      decide(limiter, check);
      assertThat(decide(limiter, check).allowed()).isFalse();
      REDIS.server().pause();
      try {
        LimitDecision cached = decide(limiter, check);

        assertThat(cached.allowed()).isFalse();
        assertThat(cached.mostRestrictive().retryAfter()).isPositive();
      } finally {
        REDIS.server().resume();
      }
    }
  }

  private static LimiterUnavailableException.Reason failureReason(
      RateLimiter limiter, LimitCheck check) {
    try {
      decide(limiter, check);
      return null;
    } catch (CompletionException e) {
      return ((LimiterUnavailableException) e.getCause()).reason();
    }
  }

  private static long pttl(String key) {
    return Long.parseLong(REDIS.server().cli("PTTL", key));
  }
}
