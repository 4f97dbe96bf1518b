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
import dev.tollgate.testkit.redis.RedisSentinelTopology;
import dev.tollgate.testkit.redis.RedisServer;
import dev.tollgate.testkit.redis.RedisServerExtension;
import dev.tollgate.testkit.redis.SentinelProcess;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code redis-sentinel://} URL: the engine decides on the master a real Sentinel names, over its
 * own sockets ({@link SentinelMasterLocator}), and after a failover (the master killed, or paused
 * so its connections stay open) on the master the sentinels promoted, where the client's state
 * continues; after a kill, at the first decision once the sentinels name that master, however far
 * the reconnect backoff had grown. How long the failover took is printed, not asserted.
 */
class RedisSentinelRateLimiterIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final Duration FAILOVER = Duration.ofSeconds(60);

  /** Sentinel's promotion is awaited apart; this is only the engine's part, and generous. */
  private static final Duration FOLLOW = Duration.ofSeconds(30);

  private static final LimitCheck CHECK =
      new LimitCheck(
          LimitDefinition.of(
              new LimitId("shop", "orders", "per-user"),
              Algorithm.FIXED_WINDOW,
              2,
              Duration.ofHours(1)),
          "sub=alice");

  private static final LimitCheck QUOTA =
      new LimitCheck(
          LimitDefinition.of(
              new LimitId("shop", "orders", "quota"),
              Algorithm.TOKEN_BUCKET,
              1_000,
              // a token refills every 10 minutes: none does while the test runs
              Duration.ofDays(7)),
          "sub=bob");

  private static RedisLimiterOptions options() {
    return RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofSeconds(1));
  }

  @Test
  void decidesOnTheMasterTheSentinelNamesOverItsOwnSockets() {
    try (SentinelProcess sentinel = new SentinelProcess(REDIS.server())) {
      await().atMost(Duration.ofSeconds(20)).until(sentinel::knowsMaster);
      try (RateLimiter limiter =
          RedisLimiterFactory.create(
              sentinel.uri(),
              RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofSeconds(5)))) {
        assertThat(decide(limiter, CHECK).allowed()).isTrue();
        assertThat(decide(limiter, CHECK).allowed()).isTrue();
        assertThat(decide(limiter, CHECK).allowed()).isFalse();
        // Lettuce speaks RESP3 to a Redis 7; the own sockets speak RESP2
        List<String> scriptClients =
            Arrays.stream(REDIS.server().cli("CLIENT", "LIST").split("\n"))
                .filter(client -> client.contains("cmd=evalsha"))
                .toList();
        assertThat(scriptClients).isNotEmpty().allMatch(client -> client.contains(" resp=2"));
      }
    }
    assertThat(REDIS.server().cli("DBSIZE")).isEqualTo("1");
  }

  @Test
  void anUnknownMasterNameFailsTheStartNamingIt() {
    try (SentinelProcess sentinel = new SentinelProcess(REDIS.server())) {
      await().atMost(Duration.ofSeconds(20)).until(sentinel::knowsMaster);
      String url = sentinel.uri().replace("#" + SentinelProcess.MASTER_NAME, "#no-such-master");

      assertThatThrownBy(() -> RedisLimiterFactory.create(url, options()))
          .isInstanceOfSatisfying(
              LimiterUnavailableException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.DISCONNECTED))
          .hasMessageContaining("knows no master named no-such-master");
    }
  }

  /**
   * Decisions keep failing while the master is dead, so new connects back off; with the backoff's
   * cap at a minute, the first decision after the sentinels name the promoted master must still
   * reach it: the engine looks again at the sentinels while it backs off.
   */
  @Test
  void decidesOnThePromotedMasterAtOnceAfterTheOldOneIsKilled() throws InterruptedException {
    RedisLimiterOptions longBackoff =
        new RedisLimiterOptions(
            "it", Duration.ofSeconds(1), Duration.ofSeconds(1), 10_000, Duration.ofMinutes(1), 0);
    try (RedisSentinelTopology topology = RedisSentinelTopology.start();
        RateLimiter limiter = RedisLimiterFactory.create(topology.uri(), longBackoff)) {
      RedisServer former = replicatedDecision(limiter, topology);

      former.kill();
      long started = System.nanoTime();
      AtomicBoolean promoted = new AtomicBoolean();
      AtomicInteger failed = new AtomicInteger();
      Thread outage =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!promoted.get()) {
                      limiter
                          .decide(LimitRequest.of(QUOTA))
                          .exceptionally(
                              e -> {
                                failed.incrementAndGet();
                                return null;
                              })
                          .toCompletableFuture()
                          .join();
                      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                    }
                  });
      RedisServer master = topology.awaitFailover(former, FAILOVER);
      promoted.set(true);
      outage.join();
      System.out.printf(
          "sentinel (kill): promoted %d ms after the fault, %d decisions failed meanwhile%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), failed.get());
      assertThat(failed).as("decisions while no master answered").hasPositiveValue();
      // the next look at the sentinels is due, the backoff is not
      Thread.sleep(2 * SentinelMasterLocator.RECHECK.toMillis());

      assertContinuesOn(master, decide(limiter, QUOTA));
    }
  }

  @Test
  void followsTheMasterTheSentinelsPromoteWhileTheOldOneHangs() {
    try (RedisSentinelTopology topology = RedisSentinelTopology.start();
        RateLimiter limiter = RedisLimiterFactory.create(topology.uri(), options())) {
      RedisServer former = replicatedDecision(limiter, topology);

      former.pause();
      long started = System.nanoTime();
      RedisServer master = topology.awaitFailover(former, FAILOVER);
      long promotedAt = System.nanoTime();
      LimitDecision first =
          await()
              .atMost(FOLLOW)
              .pollInterval(Duration.ofMillis(20))
              .ignoreExceptions()
              .until(() -> decide(limiter, QUOTA), LimitDecision::allowed);
      System.out.printf(
          "sentinel (pause): promoted %d ms after the fault, decided on the new master %d ms"
              + " after the promotion%n",
          TimeUnit.NANOSECONDS.toMillis(promotedAt - started),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promotedAt));

      assertContinuesOn(master, first);
    }
  }

  /** One decision (999 of 1,000 left), replicated before the fault; returns the master. */
  private static RedisServer replicatedDecision(RateLimiter limiter, RedisSentinelTopology redis) {
    assertThat(decide(limiter, QUOTA).outcomes().getFirst().remaining()).isEqualTo(999);
    RedisServer master = redis.master();
    assertThat(master.cli("WAIT", "1", "5000")).isEqualTo("1");
    return master;
  }

  /**
   * The first decision on the promoted master found the state replicated before the fault (999
   * left, so 998 or fewer after it, as decisions that failed in the outage may have run there).
   */
  private static void assertContinuesOn(RedisServer promoted, LimitDecision first) {
    assertThat(first.allowed()).isTrue();
    assertThat(first.outcomes().getFirst().remaining()).isLessThanOrEqualTo(998);
    assertThat(promoted.cli("EXISTS", new RedisKeys("it").stateKey(QUOTA))).isEqualTo("1");
  }

  private static LimitDecision decide(RateLimiter limiter, LimitCheck check) {
    return limiter.decide(LimitRequest.of(check)).toCompletableFuture().join();
  }
}
