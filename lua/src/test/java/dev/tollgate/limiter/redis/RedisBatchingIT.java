package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.LimiterUnavailableException.Reason;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Decisions that wait at the same time share one EVALSHA (see {@link ScriptCalls}); each is still
 * decided atomically, exactly, and fails or recovers on its own. Where batches must form, the test
 * checks it from Redis' command statistics (fewer script calls than decisions).
 */
class RedisBatchingIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static LimitCheck check(Algorithm algorithm, long requests, String client) {
    return new LimitCheck(
        LimitDefinition.of(
            new LimitId("shop", "orders", "batched"), algorithm, requests, Duration.ofDays(1)),
        client);
  }

  /** One check of a limit of 10 for each of {@code count} clients. */
  private static List<LimitCheck> clients(Algorithm algorithm, int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> check(algorithm, 10, "sub=client-" + i))
        .toList();
  }

  private static RedisRateLimiter engine(Duration budget) {
    return RedisLimiterFactory.connect(
        REDIS.uri(),
        RedisLimiterOptions.defaults("it").withDecisionBudget(budget),
        LimiterScript.production(),
        ScriptClock.REDIS_TIME);
  }

  private static List<CompletableFuture<LimitDecision>> fire(
      List<? extends RateLimiter> engines, List<LimitCheck> checks) {
    List<CompletableFuture<LimitDecision>> decisions = new ArrayList<>();
    for (int i = 0; i < checks.size(); i++) {
      decisions.add(
          engines
              .get(i % engines.size())
              .decide(LimitRequest.of(checks.get(i)))
              .toCompletableFuture());
    }
    return decisions;
  }

  private static long scriptCalls() {
    return REDIS
        .server()
        .cli("INFO", "commandstats")
        .lines()
        .filter(line -> line.startsWith("cmdstat_evalsha:"))
        .map(line -> Long.parseLong(line.replaceAll("^cmdstat_evalsha:calls=(\\d+),.*", "$1")))
        .findFirst()
        .orElse(0L);
  }

  private static Reason reason(CompletableFuture<LimitDecision> decision) {
    await().atMost(Duration.ofSeconds(10)).until(decision::isDone);
    Throwable failure = decision.exceptionNow();
    assertThat(failure).isInstanceOf(LimiterUnavailableException.class);
    return ((LimiterUnavailableException) failure).reason();
  }

  /**
   * 400 decisions fired at once from two engines (two connections, like two pods) on one key with a
   * limit of 100: exactly 100 admitted (sliding-window within its documented bound).
   */
  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void admitsExactlyTheLimitWhenDecisionsShareBatchesAcrossTwoEngines(Algorithm algorithm) {
    LimitCheck check = check(algorithm, 100, "sub=alice");
    REDIS.server().cli("CONFIG", "RESETSTAT");
    long admitted;
    try (RedisRateLimiter first = engine(Duration.ofSeconds(10));
        RedisRateLimiter second = engine(Duration.ofSeconds(10))) {
      admitted =
          fire(List.of(first, second), IntStream.range(0, 400).mapToObj(i -> check).toList())
              .stream()
              .map(CompletableFuture::join)
              .filter(LimitDecision::allowed)
              .count();
    }
    if (algorithm == Algorithm.SLIDING_WINDOW) {
      assertThat(admitted).isBetween(100L, 199L);
    } else {
      assertThat(admitted).isEqualTo(100);
    }
    // Two script loads at start are SCRIPT LOAD, not EVALSHA: every call here is a decision batch.
    assertThat(scriptCalls()).isLessThan(400);
  }

  @Test
  void decidesAnIdleRequestAloneWithoutWaitingForOthers() {
    LimitCheck check = check(Algorithm.TOKEN_BUCKET, 100, "sub=alice");
    REDIS.server().cli("CONFIG", "RESETSTAT");
    try (RedisRateLimiter engine = engine(Duration.ofSeconds(10))) {
      for (int i = 0; i < 5; i++) {
        assertThat(engine.decide(LimitRequest.of(check)).toCompletableFuture().join().allowed())
            .isTrue();
      }
    }
    assertThat(scriptCalls()).isEqualTo(5);
  }

  @Test
  void recoversFromNoScriptInsideABatchWithoutFailingAMember() {
    try (RedisRateLimiter engine = engine(Duration.ofSeconds(10))) {
      engine
          .decide(LimitRequest.of(check(Algorithm.GCRA, 10, "warm-up")))
          .toCompletableFuture()
          .join();
      assertThat(REDIS.server().cli("SCRIPT", "FLUSH")).isEqualTo("OK");
      REDIS.server().cli("CONFIG", "RESETSTAT");

      List<CompletableFuture<LimitDecision>> decisions =
          fire(List.of(engine), clients(Algorithm.GCRA, 200));

      assertThat(decisions)
          .allSatisfy(decision -> assertThat(decision.join().allowed()).isTrue())
          .allSatisfy(
              decision ->
                  assertThat(decision.join().outcomes().getFirst().remaining()).isEqualTo(9));
    }
    // Each batch fails once with NOSCRIPT and is retried after the reload: fewer than 2 x 200.
    assertThat(scriptCalls()).isLessThan(200);
  }

  @Test
  void failsEveryWaitingMemberWithTimeoutWhileRedisHangs() {
    try (RedisRateLimiter engine = engine(Duration.ofMillis(200))) {
      REDIS.server().pause();
      List<CompletableFuture<LimitDecision>> decisions;
      try {
        decisions = fire(List.of(engine), clients(Algorithm.TOKEN_BUCKET, 20));

        assertThat(decisions)
            .allSatisfy(decision -> assertThat(reason(decision)).isEqualTo(Reason.TIMEOUT));
      } finally {
        REDIS.server().resume();
      }
    }
  }

  @Test
  void failsEveryMemberWithDisconnectedWhileRedisIsDownThenRecovers() {
    LimitCheck probe = check(Algorithm.SLIDING_LOG, 1_000, "sub=probe");
    try (RedisRateLimiter engine = engine(Duration.ofSeconds(1))) {
      REDIS.server().kill();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                CompletableFuture<LimitDecision> decision =
                    engine.decide(LimitRequest.of(probe)).toCompletableFuture();
                return reason(decision) == Reason.DISCONNECTED;
              });

      List<CompletableFuture<LimitDecision>> decisions =
          fire(List.of(engine), clients(Algorithm.SLIDING_LOG, 20));

      assertThat(decisions)
          .allSatisfy(decision -> assertThat(reason(decision)).isEqualTo(Reason.DISCONNECTED));
      REDIS.server().restart();
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(
              () -> engine.decide(LimitRequest.of(probe)).toCompletableFuture().join().allowed());
    }
  }

  /**
   * A key of the wrong type (written by something else) fails the Redis command of the request that
   * reads it: that request fails with REDIS_ERROR; the others in its batch are decided.
   */
  @Test
  void aRequestThatFailsInRedisFailsAloneInItsBatch() {
    LimitCheck corrupted = check(Algorithm.TOKEN_BUCKET, 10, "sub=mallory");
    REDIS.server().cli("SET", new RedisKeys("it").stateKey(corrupted), "not a hash");
    REDIS.server().cli("CONFIG", "RESETSTAT");
    try (RedisRateLimiter engine = engine(Duration.ofSeconds(10))) {
      // Two decisions take both batch slots while Redis hangs; the rest then leave as one batch.
      REDIS.server().pause();
      List<CompletableFuture<LimitDecision>> decisions;
      try {
        List<LimitCheck> checks = new ArrayList<>(clients(Algorithm.TOKEN_BUCKET, 30));
        checks.add(15, corrupted);
        decisions = fire(List.of(engine), checks);
      } finally {
        REDIS.server().resume();
      }

      assertThat(reason(decisions.get(15))).isEqualTo(Reason.REDIS_ERROR);
      assertThat(decisions.get(15).exceptionNow()).hasMessageContaining("WRONGTYPE");
      decisions.remove(15);
      assertThat(decisions).allSatisfy(decision -> assertThat(decision.join().allowed()).isTrue());
    }
    assertThat(scriptCalls()).isLessThan(31);
  }
}
