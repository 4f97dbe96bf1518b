package dev.tollgate.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisSentinelTopologyIT {
  private static final Duration FAILOVER = Duration.ofSeconds(60);

  @Test
  void aKilledMasterIsFailedOverAndComesBackAsAReplica() {
    try (RedisSentinelTopology topology = RedisSentinelTopology.start()) {
      assertThat(topology.uri())
          .matches("redis-sentinel://(127\\.0\\.0\\.1:\\d+,){2}127\\.0\\.0\\.1:\\d+#mymaster");
      RedisServer master = topology.master();
      RedisServer replica = topology.replica();
      master.cli("SET", "k", "v");

      master.kill();
      RedisServer promoted = topology.awaitFailover(master, FAILOVER);

      assertThat(promoted).isSameAs(replica);
      assertThat(promoted.cli("GET", "k")).isEqualTo("v");
      master.restart();
      topology.awaitReplicaInSync(master, FAILOVER);
      assertThat(master.cli("GET", "k")).isEqualTo("v");
    }
  }
}
