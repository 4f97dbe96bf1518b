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
import dev.tollgate.limiter.LimiterUnavailableException.Reason;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.testkit.redis.MovableAddress;
import dev.tollgate.testkit.redis.RedisServer;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The limiter's own connection to a plain standalone Redis ({@link DirectScriptRunner}): what a
 * Redis URL may carry (an ACL user, a database) reaches Redis, a refused password or a peer that is
 * not Redis fails the start naming neither the password nor hanging, and a platform thread is never
 * blocked by a decision. The decision semantics themselves are covered by the engine's other ITs,
 * which run on this path for every standalone URL.
 */
class DirectScriptRunnerIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final LimitCheck CHECK =
      new LimitCheck(
          LimitDefinition.of(
              new LimitId("shop", "orders", "direct"),
              Algorithm.TOKEN_BUCKET,
              10,
              Duration.ofMinutes(1)),
          "sub=alice");

  private static RedisLimiterOptions options() {
    return RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofSeconds(2));
  }

  /** No over-limit cache: every decision goes to Redis. */
  private static RedisLimiterOptions uncached(Duration budget) {
    return RedisLimiterOptions.defaults("it").withDecisionBudget(budget).withOverLimitCacheBytes(0);
  }

  private static LimitDecision decide(RateLimiter limiter) {
    return limiter.decide(LimitRequest.of(CHECK)).toCompletableFuture().join();
  }

  private static String hostPort() {
    return REDIS.server().host() + ":" + REDIS.server().port();
  }

  @Test
  void authenticatesAsTheUrlsAclUserAndWritesToItsDatabase() {
    REDIS.server().cli("ACL", "SETUSER", "limiter", "on", ">s3cret", "~*", "+@all");
    try (RateLimiter limiter =
        RedisLimiterFactory.create("redis://limiter:s3cret@" + hostPort() + "/3", options())) {
      assertThat(decide(limiter).outcomes().getFirst().remaining()).isEqualTo(9);
    } finally {
      REDIS.server().cli("ACL", "DELUSER", "limiter");
    }
    String key = new RedisKeys("it").stateKey(CHECK);
    assertThat(REDIS.server().cli("-n", "3", "EXISTS", key)).isEqualTo("1");
    assertThat(REDIS.server().cli("-n", "0", "EXISTS", key)).isEqualTo("0");
  }

  @Test
  void aRefusedPasswordFailsTheStartWithoutNamingIt() {
    REDIS.server().cli("ACL", "SETUSER", "limiter", "on", ">right", "~*", "+@all");
    try {
      assertThatThrownBy(
              () -> RedisLimiterFactory.create("redis://limiter:wrong@" + hostPort(), options()))
          .isInstanceOfSatisfying(
              LimiterUnavailableException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.DISCONNECTED))
          .hasMessageContaining("AUTH refused")
          .hasMessageNotContaining("wrong");
    } finally {
      REDIS.server().cli("ACL", "DELUSER", "limiter");
    }
  }

  @Test
  void aPeerThatIsNotRedisFailsTheStartInsteadOfHanging() throws Exception {
    try (ServerSocket notRedis = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> answerEveryConnectionWithHttp(notRedis));

      assertThatThrownBy(
              () ->
                  RedisLimiterFactory.create(
                      "redis://127.0.0.1:" + notRedis.getLocalPort(), options()))
          .isInstanceOfSatisfying(
              LimiterUnavailableException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.DISCONNECTED))
          .hasMessageContaining("not a RESP2 reply");
    }
  }

  private static void answerEveryConnectionWithHttp(ServerSocket server) {
    while (!server.isClosed()) {
      try (Socket client = server.accept()) {
        InputStream in = client.getInputStream();
        in.read(new byte[4096]);
        client
            .getOutputStream()
            .write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        return; // the server closed at the end of the test
      }
    }
  }

  @Test
  void aPlatformThreadGetsItsStageAtOnceWhileRedisHangs() {
    try (RateLimiter limiter = RedisLimiterFactory.create(REDIS.uri(), options())) {
      decide(limiter);
      REDIS.server().pause();
      CompletableFuture<LimitDecision> pending;
      try {
        pending = limiter.decide(LimitRequest.of(CHECK)).toCompletableFuture();
        assertThat(pending).isNotDone();
      } finally {
        REDIS.server().resume();
      }
      await().atMost(Duration.ofSeconds(10)).until(pending::isDone);
      assertThat(pending.join().outcomes().getFirst().remaining()).isEqualTo(8);
    }
  }

  /**
   * A socket opened for a batch may take as long as the batch's callers wait, the decision budget,
   * when that is longer than the connect timeout: Redis's first answer on a new socket can come
   * late (a busy Redis, or a gateway starved of CPU that gets to read it late), and a batch that
   * failed then had budget left (a 500-request burst in a cluster once lost a decision so, with a 5
   * s budget and a socket cut at 1 s). Redis hangs here past the 1 s connect timeout while a second
   * batch needs a socket of its own; every decision is still made.
   */
  @Test
  void aSocketOpenedForABatchMayTakeTheDecisionBudget() throws InterruptedException {
    try (RateLimiter limiter =
        RedisLimiterFactory.create(REDIS.uri(), uncached(Duration.ofSeconds(5)))) {
      List<CompletableFuture<LimitDecision>> decisions = new ArrayList<>();
      REDIS.server().pause();
      try {
        // from a platform thread each call runs on a virtual thread of its own: the first batch
        // takes the pooled socket, the second opens one, and the rest wait for a free slot
        for (int i = 0; i < 20; i++) {
          decisions.add(limiter.decide(LimitRequest.of(CHECK)).toCompletableFuture());
        }
        Thread.sleep(Duration.ofMillis(1_500));
      } finally {
        REDIS.server().resume();
      }

      assertThat(decisions)
          .allSatisfy(decision -> assertThat(decision.join().outcomes()).isNotEmpty());
      // the limit is 10 a minute: each of the 20 decisions was made, in order, by Redis
      assertThat(decisions.stream().filter(d -> d.join().allowed()).count()).isEqualTo(10);
    }
  }

  /**
   * A socket opened for a batch may take longer than the batch's budget (the default budget is 50
   * ms, a socket may take the 1 s command timeout); the batch's callers have then applied their
   * failure mode, so the batch is not sent: it would charge them for decisions nobody got.
   */
  @Test
  void aBatchWhoseSocketOpenedAfterItsBudgetIsNotSent() throws InterruptedException {
    try (RateLimiter limiter =
        RedisLimiterFactory.create(REDIS.uri(), uncached(Duration.ofMillis(300)))) {
      // the pooled socket closed by Redis: the next batch opens one
      REDIS.server().cli("CLIENT", "KILL", "TYPE", "normal");
      Thread.sleep(Duration.ofMillis(20));
      CompletableFuture<LimitDecision> decision;
      REDIS.server().pause();
      try {
        decision = limiter.decide(LimitRequest.of(CHECK)).toCompletableFuture();
        Thread.sleep(Duration.ofMillis(600));
      } finally {
        REDIS.server().resume();
      }

      assertTimedOut(decision);
      // nothing was charged for it: the next decision is the first (8 when the batch was sent)
      assertThat(decide(limiter).outcomes().getFirst().remaining()).isEqualTo(9);
    }
  }

  /**
   * The same holds for a request that waited for a free batch slot before its batch went out: the
   * batch's own budget starts when it leaves, its request's did earlier, and a socket that opens in
   * between must not carry it. Nothing of a batch not sent was charged, so its requests that still
   * wait are sent in the next batch. Redis hangs; the first request's batch is written on the
   * pooled socket (it fails at 600 ms), the second's opens a socket; the third and fourth wait for
   * a slot and leave together at 600 ms, opening a socket too. Redis answers again at 750 ms: after
   * the second's and third's budgets (650 and 700 ms), within the fourth's (1,050 ms) and the
   * batch's own (1.2 s).
   */
  @Test
  void aBatchIsNotSentOnceARequestInItHasGivenUpAndItsOthersAreSentAgain()
      throws InterruptedException {
    try (RateLimiter limiter =
        RedisLimiterFactory.create(REDIS.uri(), uncached(Duration.ofMillis(600)))) {
      decide(limiter);
      CompletableFuture<LimitDecision> second;
      CompletableFuture<LimitDecision> third;
      CompletableFuture<LimitDecision> fourth;
      REDIS.server().pause();
      try {
        limiter.decide(LimitRequest.of(CHECK));
        Thread.sleep(Duration.ofMillis(50));
        second = limiter.decide(LimitRequest.of(CHECK)).toCompletableFuture();
        Thread.sleep(Duration.ofMillis(50));
        third = limiter.decide(LimitRequest.of(CHECK)).toCompletableFuture();
        Thread.sleep(Duration.ofMillis(350));
        fourth = limiter.decide(LimitRequest.of(CHECK)).toCompletableFuture();
        Thread.sleep(Duration.ofMillis(300));
      } finally {
        REDIS.server().resume();
      }

      assertTimedOut(second);
      assertTimedOut(third);
      // charged: the first decision, the first request (written before Redis hung) and the fourth
      // (6 when the third's batch was sent; a TIMEOUT too when the batch not sent failed whole)
      assertThat(fourth.join().outcomes().getFirst().remaining()).isEqualTo(7);
    }
  }

  private static void assertTimedOut(CompletableFuture<LimitDecision> decision) {
    assertThatThrownBy(decision::join)
        .cause()
        .isInstanceOfSatisfying(
            LimiterUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.TIMEOUT));
  }

  @Test
  void aRedisThatDoesNotAnswerWithinTheConnectTimeoutFailsTheStartSayingSo() {
    REDIS.server().pause();
    try {
      assertThatThrownBy(() -> RedisLimiterFactory.create(REDIS.uri(), options()))
          .isInstanceOfSatisfying(
              LimiterUnavailableException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.DISCONNECTED))
          .hasMessageContaining("not connected within 1000 ms");
    } finally {
      REDIS.server().resume();
    }
  }

  /**
   * Sockets pooled while Redis restarts are dead when the next decisions come; they are found dead
   * before a batch is written to them, so a burst after Redis is back decides every request
   * (Lettuce reconnects in the background; a batch written to a dead socket would fail whole).
   */
  @Test
  void aRedisThatRestartedWhileSocketsWereIdleCostsNoDecision() throws Exception {
    try (RateLimiter limiter =
        RedisLimiterFactory.create(REDIS.uri(), uncached(Duration.ofSeconds(2)))) {
      List<CompletableFuture<LimitDecision>> warm = burst(limiter, 64);
      warm.forEach(CompletableFuture::join); // two sockets in use, pooled again
      REDIS.server().restart();

      List<CompletableFuture<LimitDecision>> after = burst(limiter, 200);

      assertThat(after).allSatisfy(decision -> assertThat(decision.join().outcomes()).isNotEmpty());
    }
  }

  @Test
  void aFailoverBehindAStableAddressCostsOneBatch() {
    try (RedisServer promoted = RedisServer.start();
        MovableAddress address = new MovableAddress(REDIS.server().port());
        RateLimiter limiter =
            RedisLimiterFactory.create(
                "redis://127.0.0.1:" + address.port(), uncached(Duration.ofSeconds(2)))) {
      assertThat(decide(limiter).outcomes()).isNotEmpty();
      // the failover: the old master follows the new one, the address names the new one; the
      // limiter's pooled socket still reaches the old master
      REDIS.server().cli("REPLICAOF", promoted.host(), Integer.toString(promoted.port()));
      address.moveTo(promoted.port());

      assertThatThrownBy(() -> decide(limiter))
          .cause()
          .isInstanceOfSatisfying(
              LimiterUnavailableException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.REDIS_ERROR);
                assertThat(e).hasMessageContaining("READONLY");
              });
      // one batch lost, not every one until the old socket breaks
      assertThat(decide(limiter).outcomes().getFirst().remaining()).isEqualTo(9);
      assertThat(promoted.cli("EXISTS", new RedisKeys("it").stateKey(CHECK))).isEqualTo("1");
    } finally {
      REDIS.server().cli("REPLICAOF", "NO", "ONE");
    }
  }

  /** {@code count} decisions asked for at once, each from a virtual thread of its own. */
  private static List<CompletableFuture<LimitDecision>> burst(RateLimiter limiter, int count)
      throws InterruptedException {
    List<CompletableFuture<LimitDecision>> decisions = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    awaitQuietly(start);
                    decisions.add(limiter.decide(LimitRequest.of(CHECK)).toCompletableFuture());
                  }));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    return decisions;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
