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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code redis-sentinel://} URL: the engine decides on the master a real Sentinel names, over its
 * own sockets ({@link SentinelMasterLocator}), and after a failover (the master killed, or paused
 * so its connections stay open) on the master the sentinels promoted, where the client's state
 * continues. How long after the promotion that took is printed, not asserted.
 */
class RedisSentinelRateLimiterIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final Duration FAILOVER = Duration.ofSeconds(60);
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
          .hasMessageContaining("know no master named no-such-master");
    }
  }

  @Test
  void followsTheMasterTheSentinelsPromoteWhenTheOldOneIsKilled() {
    followsAFailover("kill", RedisServer::kill);
  }

  @Test
  void followsTheMasterTheSentinelsPromoteWhileTheOldOneHangs() {
    followsAFailover("pause", RedisServer::pause);
  }

  private static void followsAFailover(String fault, Consumer<RedisServer> inject) {
    try (RedisSentinelTopology topology = RedisSentinelTopology.start();
        RateLimiter limiter = RedisLimiterFactory.create(topology.uri(), options())) {
      assertThat(decide(limiter, QUOTA).outcomes().getFirst().remaining()).isEqualTo(999);
      RedisServer former = topology.master();
      assertThat(former.cli("WAIT", "1", "5000")).isEqualTo("1");

      inject.accept(former);
      long started = System.nanoTime();
      RedisServer promoted = topology.awaitFailover(former, FAILOVER);
      long promotedAt = System.nanoTime();
      await()
          .atMost(FOLLOW)
          .pollInterval(Duration.ofMillis(20))
          .ignoreExceptions()
          .until(() -> decide(limiter, QUOTA).allowed());
      System.out.printf(
          "sentinel (%s): promoted %d ms after the fault, decided on the new master %d ms after"
              + " the promotion%n",
          fault,
          TimeUnit.NANOSECONDS.toMillis(promotedAt - started),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promotedAt));

      // the state replicated before the fault carries on: the first decision there left 999
      assertThat(decide(limiter, QUOTA).outcomes().getFirst().remaining()).isLessThan(998);
      assertThat(promoted.cli("EXISTS", new RedisKeys("it").stateKey(QUOTA))).isEqualTo("1");
    }
  }

  private static LimitDecision decide(RateLimiter limiter, LimitCheck check) {
    return limiter.decide(LimitRequest.of(check)).toCompletableFuture().join();
  }
}
