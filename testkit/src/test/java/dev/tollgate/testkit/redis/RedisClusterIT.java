package dev.tollgate.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisClusterIT {
  @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

  @Test
  void setAndGetThroughAClusterClientAcrossSlots() {
    List<RedisURI> seeds =
        CLUSTER.cluster().nodes().stream().map(node -> RedisURI.create(node.uri())).toList();
    RedisClusterClient client = RedisClusterClient.create(seeds);
    try (var connection = client.connect()) {
      var redis = connection.sync();
      for (String key : List.of("{a}k", "{b}k", "{c}k", "{d}k")) {
        redis.set(key, "value-" + key);
        assertThat(redis.get(key)).isEqualTo("value-" + key);
      }
      assertThat(redis.clusterInfo()).contains("cluster_slots_assigned:16384");
      assertThat(
              List.of("{a}k", "{b}k", "{c}k", "{d}k").stream()
                  .map(key -> redis.clusterKeyslot(key).intValue() == SlotHash.getSlot(key))
                  .toList())
          .containsOnly(true);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void spreadsSlotsOverEveryMaster() {
    assertThat(CLUSTER.cluster().nodes()).hasSize(3);
    for (RedisServer node : CLUSTER.cluster().nodes()) {
      assertThat(node.cli("CLUSTER", "MYID")).isNotBlank();
      assertThat(node.cli("ROLE")).startsWith("master");
    }
  }

  @Test
  void aReplicaTakesOverTheSlotsOfAKilledMaster() {
    try (RedisCluster cluster = RedisCluster.start(3, 1)) {
      assertThat(cluster.nodes()).hasSize(6);
      RedisServer owner = cluster.masterOwning("{x}k");
      owner.cli("SET", "{x}k", "v");

      owner.kill();
      RedisServer promoted = cluster.awaitFailover(owner, "{x}k", Duration.ofSeconds(60));

      assertThat(promoted).isNotSameAs(owner);
      assertThat(promoted.cli("ROLE")).startsWith("master");
    }
  }
}
