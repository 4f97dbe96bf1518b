package dev.tollgate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testkit.redis.RedisCluster;
import dev.tollgate.testkit.redis.RedisSentinelTopology;
import dev.tollgate.testkit.redis.RedisServer;
import dev.tollgate.testkit.redis.SentinelProcess;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@link RedisConnection} follows a failover: behind sentinels when the master is killed, when it
 * hangs (SIGSTOP, so its connections stay open) past the failover and when a planned failover
 * leaves it up to become a replica, and on a cluster with replicas when the master of a key's slot
 * is killed. "Follows" means a command on the connection that was open before the fault succeeds on
 * the promoted master while the old one is still dead or paused; the figures print how long after
 * the promotion that took.
 */
class RedisFailoverIT {
  private static final Duration FAILOVER = Duration.ofSeconds(60);

  /**
   * Sentinel's failover (about 2 s here) plus Lettuce's 5 s wait before re-reading the topology.
   */
  private static final Duration FOLLOW = Duration.ofSeconds(30);

  private static final LettuceOptions OPTIONS =
      new LettuceOptions(Duration.ofMillis(500), 1_000, Duration.ofSeconds(1));

  @Test
  void followsTheMasterSentinelPromotesWhenTheOldOneIsKilled() {
    try (RedisSentinelTopology topology = RedisSentinelTopology.start();
        RedisConnection<String, String> redis = open(topology.uri())) {
      assertThat(redis.sync().incr("k")).isEqualTo(1);
      RedisServer master = topology.master();

      master.kill();
      long promotedAt = promoted(topology, master);

      assertFollows(redis, topology.master(), promotedAt, "kill");
    }
  }

  @Test
  void followsTheMasterSentinelPromotesWhileTheOldOneHangs() {
    try (RedisSentinelTopology topology = RedisSentinelTopology.start();
        RedisConnection<String, String> redis = open(topology.uri())) {
      assertThat(redis.sync().incr("k")).isEqualTo(1);
      RedisServer master = topology.master();

      master.pause();
      long promotedAt = promoted(topology, master);
      assertFollows(redis, topology.master(), promotedAt, "pause");

      master.resume();
      topology.awaitReplicaInSync(master);
      long before = Long.parseLong(topology.master().cli("GET", "k"));
      assertThat(redis.sync().incr("k")).isEqualTo(before + 1);
    }
  }

  @Test
  void followsAManualFailoverWhileTheOldMasterStaysUpAsReplica() {
    try (RedisSentinelTopology topology = RedisSentinelTopology.start();
        RedisConnection<String, String> redis = open(topology.uri())) {
      assertThat(redis.sync().incr("k")).isEqualTo(1);
      RedisServer master = topology.master();
      topology.awaitReplicaInSync(topology.replica());

      long started = System.nanoTime();
      topology.sentinels().getFirst().cli("SENTINEL", "FAILOVER", SentinelProcess.MASTER_NAME);
      RedisServer promoted = topology.awaitFailover(master, Duration.ofSeconds(20));
      await()
          .atMost(FOLLOW)
          .pollInterval(Duration.ofMillis(20))
          .ignoreExceptions()
          .until(() -> redis.sync().incr("k") == Long.parseLong(promoted.cli("GET", "k")));
      System.out.printf(
          "sentinel (manual): writes reach the promoted master %d ms after the failover began%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      for (int i = 0; i < 20; i++) {
        assertThat(redis.sync().incr("k")).isEqualTo(Long.parseLong(promoted.cli("GET", "k")));
      }
    }
  }

  @Test
  void followsTheReplicaThatTakesOverAKilledClusterMastersSlots() {
    try (RedisCluster cluster = RedisCluster.start(3, 1);
        RedisConnection<String, String> redis = open(cluster.uri())) {
      assertThat(redis.sync().incr("{x}k")).isEqualTo(1);
      RedisServer owner = cluster.masterOwning("{x}k");

      owner.kill();
      long started = System.nanoTime();
      RedisServer promoted = cluster.awaitFailover(owner, "{x}k", FAILOVER);
      long promotedAt = System.nanoTime();
      System.out.printf(
          "cluster: replica promoted %d ms after the kill%n",
          TimeUnit.NANOSECONDS.toMillis(promotedAt - started));

      await()
          .atMost(FOLLOW)
          .pollInterval(Duration.ofMillis(20))
          .ignoreExceptions()
          .until(() -> redis.sync().incr("{x}k") >= 2);
      System.out.printf(
          "cluster: commands reach the promoted master %d ms after the promotion%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promotedAt));
      assertThat(promoted.cli("GET", "{x}k")).isNotEqualTo("");
    }
  }

  private static RedisConnection<String, String> open(String url) {
    return RedisConnection.open(RedisTarget.parse(url), OPTIONS, StringCodec.UTF8);
  }

  private static long promoted(RedisSentinelTopology topology, RedisServer former) {
    long started = System.nanoTime();
    topology.awaitFailover(former, FAILOVER);
    long promotedAt = System.nanoTime();
    System.out.printf(
        "sentinel: replica promoted %d ms after the fault%n",
        TimeUnit.NANOSECONDS.toMillis(promotedAt - started));
    return promotedAt;
  }

  private static void assertFollows(
      RedisConnection<String, String> redis, RedisServer promoted, long promotedAt, String fault) {
    await()
        .atMost(FOLLOW)
        .pollInterval(Duration.ofMillis(20))
        .ignoreExceptions()
        .until(() -> redis.sync().incr("k") >= 2);
    System.out.printf(
        "sentinel (%s): commands reach the promoted master %d ms after the promotion%n",
        fault, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promotedAt));
    assertThat(Long.parseLong(promoted.cli("GET", "k"))).isGreaterThanOrEqualTo(2);
  }
}
