package dev.tollgate.e2e.system;

import static org.awaitility.Awaitility.await;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.testkit.redis.RedisCluster;
import dev.tollgate.testkit.redis.RedisSentinelTopology;
import dev.tollgate.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** The Redis faults the failover ITs and the benchmark inject, one factory each. */
final class RedisFaults {
  static final Duration FAILOVER = Duration.ofSeconds(60);

  /** The config version key of the system's instance; its slot is "the config slot". */
  static final String CONFIG_KEY = new ConfigKeys(TollgateSystem.GATEWAY_NAME).version();

  /** The exactly limited client's key of /closed, found by pattern (its tag is a hash). */
  static final String EXACT_CLIENT_KEYS =
      "tollgate:" + TollgateSystem.GATEWAY_NAME + ":rl:*/closed/exact:*";

  private RedisFaults() {}

  /** The sentinel-monitored master dies (SIGKILL). */
  static FailoverScenario.Fault killMaster(RedisSentinelTopology redis) {
    RedisServer master = redis.master();
    return new FailoverScenario.Fault() {
      @Override
      public void inject() {
        master.kill();
      }

      @Override
      public void awaitFailover() {
        redis.awaitFailover(master, FAILOVER);
      }
    };
  }

  /**
   * The master hangs (SIGSTOP) past the failover and resumes (SIGCONT) once the gateways decide
   * from the new master; Sentinel then demotes it to a replica.
   */
  static FailoverScenario.Fault pauseMaster(RedisSentinelTopology redis) {
    RedisServer master = redis.master();
    return new FailoverScenario.Fault() {
      @Override
      public void inject() {
        master.pause();
      }

      @Override
      public void awaitFailover() {
        redis.awaitFailover(master, FAILOVER);
      }

      @Override
      public void heal() {
        master.resume();
        redis.awaitReplicaInSync(master);
      }
    };
  }

  /** The master of {@link #CONFIG_KEY}'s slot dies. */
  static FailoverScenario.Fault killConfigSlotOwner(RedisCluster redis) {
    return killSlotOwner(redis, cluster -> CONFIG_KEY);
  }

  /** The master of the exact client's limiter slot dies. */
  static FailoverScenario.Fault killLimiterSlotOwner(RedisCluster redis) {
    return killSlotOwner(
        redis,
        cluster -> {
          List<String> keys = cluster.keys(EXACT_CLIENT_KEYS);
          if (keys.size() != 1) {
            throw new IllegalStateException("expected one key for the exact client, got " + keys);
          }
          return keys.getFirst();
        });
  }

  /**
   * Redis crashes and comes back empty on the same port (no persistence); "failed over" means the
   * operator wrote the snapshot again.
   */
  static FailoverScenario.Fault restartEmpty(RedisServer redis, Duration rewriteBound) {
    return new FailoverScenario.Fault() {
      @Override
      public void inject() {
        redis.restart();
      }

      @Override
      public void awaitFailover() {
        await()
            .atMost(rewriteBound)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> !redis.cli("GET", CONFIG_KEY).isEmpty());
      }
    };
  }

  /** The fence key of the system's instance on {@code server}. */
  static long fence(RedisServer server) {
    String fence = server.cli("GET", new ConfigKeys(TollgateSystem.GATEWAY_NAME).fence());
    return fence.isEmpty() ? 0 : Long.parseLong(fence);
  }

  private static FailoverScenario.Fault killSlotOwner(
      RedisCluster redis, Function<RedisCluster, String> victimKey) {
    return new FailoverScenario.Fault() {
      private RedisServer victim;
      private String key;

      @Override
      public void inject() {
        key = victimKey.apply(redis);
        victim = redis.masterOwning(key);
        System.out.printf(
            "killing the master on port %d (owns the slot of %s; the config slot's owner is on %d)%n",
            victim.port(), key, redis.masterOwning(CONFIG_KEY).port());
        victim.kill();
      }

      @Override
      public void awaitFailover() {
        redis.awaitFailover(victim, key, FAILOVER);
      }
    };
  }
}
