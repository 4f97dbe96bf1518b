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
      // replication is asynchronous: without WAIT a kill right after the SET can lose it (seen on
      // a loaded machine: the promoted replica answered "")
      assertThat(master.cli("WAIT", "1", "10000")).isEqualTo("1");

      master.kill();
      RedisServer promoted = topology.awaitFailover(master, FAILOVER);

      assertThat(promoted).isSameAs(replica);
      assertThat(promoted.cli("GET", "k")).isEqualTo("v");
      master.restart();
      topology.awaitReplicaInSync(master);
      assertThat(master.cli("GET", "k")).isEqualTo("v");
    }
  }
}
