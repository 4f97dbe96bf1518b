package dev.tollgate.operator.snapshot;

import static dev.tollgate.operator.snapshot.WriterFixture.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import dev.tollgate.operator.feedback.GatewayFeedback;
import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.testkit.redis.RedisClusterExtension;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's Redis side on a 3-master Redis Cluster: the fenced multi-key snapshot write (which
 * failed with CROSSSLOT before the keys carried a hash tag) and the gateways' feedback, read
 * without a SCAN over every master.
 */
class RedisClusterSnapshotIT {
  @RegisterExtension static final RedisClusterExtension REDIS = new RedisClusterExtension();

  private final ConfigKeys keys = new ConfigKeys("edge");
  private RedisConnection<String, String> redis;

  @BeforeEach
  void connect() {
    redis =
        RedisConnection.open(
            RedisTarget.parse(REDIS.cluster().uri()), LettuceOptions.control(), StringCodec.UTF8);
  }

  @AfterEach
  void close() {
    redis.close();
  }

  @Test
  void allKeysOfOneGatewayShareASlotAndOtherGatewaysSpreadOut() {
    int slot = SlotHash.getSlot(keys.entries());
    assertThat(
            Stream.of(
                    keys.log(),
                    keys.version(),
                    keys.fence(),
                    keys.lineage(),
                    keys.channel(),
                    keys.gateways())
                .map(SlotHash::getSlot))
        .containsOnly(slot);
    assertThat(
            Stream.of("a", "b", "c", "d")
                .map(name -> SlotHash.getSlot(new ConfigKeys(name).entries()))
                .distinct())
        .hasSizeGreaterThan(1);
  }

  @Test
  void writesFencedSnapshotsAndPublishesToSubscribersOnAnyNode() {
    RedisClusterClient client = RedisClusterClient.create(REDIS.cluster().uri().split(",")[0]);
    try (StatefulRedisClusterPubSubConnection<String, String> sub = client.connectPubSub()) {
      List<String> messages = WriterFixture.record(sub, keys.channel());
      SnapshotWriter leader = new SnapshotWriter(redis.sync(), keys, () -> 5);

      assertThat(leader.write(routes("a"), 0)).isEqualTo(WriteResult.written(1));
      assertThat(leader.write(routes("b"), 0)).isEqualTo(WriteResult.written(2));
      assertThat(leader.write(routes("b"), 0)).isEqualTo(WriteResult.unchanged(2));
      WriteResult stale = new SnapshotWriter(redis.sync(), keys, () -> 4).write(routes("x"), 0);

      assertThat(stale.outcome()).isEqualTo(WriteResult.Outcome.FENCED);
      assertThat(redis.sync().hgetall(keys.entries()))
          .containsExactly(Map.entry("Route/shop/b", "{\"n\":\"b\"}"));
      assertThat(redis.sync().get(keys.version())).isEqualTo("2");
      assertThat(redis.sync().get(keys.fence())).isEqualTo("5");
      WriterFixture.awaitMessages(messages, "tollgate:{edge}:config=1", "tollgate:{edge}:config=2");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void countsLiveGatewaysAndPrunesExpiredReports() {
    GatewayFeedback feedback = new GatewayFeedback(redis.sync(), keys);
    report("pod-a", 3, Duration.ofSeconds(60));
    report("pod-b", 2, Duration.ofSeconds(60));
    report("pod-c", 3, Duration.ofMillis(500));

    assertThat(feedback.read().servedVersions()).containsExactly(2L, 3L, 3L);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(feedback.read().servedVersions()).containsExactly(2L, 3L));
    assertThat(redis.sync().hkeys(keys.gateways())).containsExactlyInAnyOrder("pod-a", "pod-b");
    // A short-lived report never shortens the hash's own TTL below the longest one reported.
    assertThat(redis.sync().pttl(keys.gateways())).isGreaterThan(30_000L);
  }

  private void report(String pod, long version, Duration ttl) {
    redis
        .sync()
        .eval(
            ConfigScripts.REPORT_APPLIED_VERSION,
            ScriptOutputType.INTEGER,
            new String[] {keys.gateways()},
            pod,
            Long.toString(version),
            Long.toString(ttl.toMillis()));
  }
}
