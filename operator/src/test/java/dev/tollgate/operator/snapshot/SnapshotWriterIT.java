package dev.tollgate.operator.snapshot;

import static dev.tollgate.operator.snapshot.WriterFixture.routes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.operator.it.OperatorFixture;
import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator's writes against a real redis-server: only what changed, fenced, versions that only
 * grow, and what happens when Redis loses its data or falls back to an older version.
 */
class SnapshotWriterIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private final ConfigKeys keys = new ConfigKeys("edge");
  private final AtomicLong epoch = new AtomicLong(5);
  private RedisConnection<String, String> redis;
  private SnapshotWriter writer;

  @BeforeEach
  void connect() {
    redis =
        RedisConnection.open(
            RedisTarget.parse(REDIS.uri()), LettuceOptions.control(), StringCodec.UTF8);
    writer = new SnapshotWriter(redis.sync(), keys, epoch::get);
  }

  @AfterEach
  void close() {
    redis.close();
  }

  @Test
  void writesTheChangedEntriesAndTheVersionTogetherAndPublishesTheVersion() {
    RedisClient client = RedisClient.create(REDIS.uri());
    try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
      List<String> messages = WriterFixture.record(sub, keys.channel());

      WriteResult first = writer.write(routes("a"), 0);
      WriteResult second = writer.write(routes("a", "b"), 0);

      assertThat(first).isEqualTo(WriteResult.written(1));
      assertThat(second).isEqualTo(WriteResult.written(2));
      assertThat(stored())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("Route/shop/a", "{\"n\":\"a\"}", "Route/shop/b", "{\"n\":\"b\"}"));
      assertThat(REDIS.server().cli("GET", keys.version())).isEqualTo("2");
      // Version 2 changed one entry, and says so: that one entry is what a gateway reads.
      assertThat(REDIS.server().cli("XRANGE", keys.log(), "2-1", "2-1"))
          .contains("diff", "Route/shop/b");
      WriterFixture.awaitMessages(messages, "tollgate:{edge}:config=1", "tollgate:{edge}:config=2");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void deletesTheEntryOfAResourceThatIsGone() {
    writer.write(routes("a", "b"), 0);

    assertThat(writer.write(routes("b"), 0)).isEqualTo(WriteResult.written(2));

    assertThat(stored()).containsOnlyKeys("Route/shop/b");
  }

  @Test
  void skipsTheWriteWhenRedisAlreadyHoldsTheSameEntries() {
    writer.write(routes("a", "b"), 0);

    WriteResult again = writer.write(routes("a", "b"), 0);
    // A restarted operator is a new writer with the same caches: it reads back, still nothing.
    WriteResult afterRestart =
        new SnapshotWriter(redis.sync(), keys, epoch::get).write(routes("a", "b"), 0);

    assertThat(again).isEqualTo(WriteResult.unchanged(1));
    assertThat(afterRestart).isEqualTo(WriteResult.unchanged(1));
    assertThat(REDIS.server().cli("GET", keys.version())).isEqualTo("1");
  }

  @Test
  void comparesAgainstTheNewestVersionWhenAnotherWriterGotThereFirst() {
    writer.write(routes("a"), 0);
    // Another writer (same epoch) writes v2, as a racing writer would between read and write.
    new SnapshotWriter(redis.sync(), keys, epoch::get).write(routes("x"), 0);

    assertThat(writer.write(routes("a", "b"), 0)).isEqualTo(WriteResult.written(3));
    assertThat(stored()).containsOnlyKeys("Route/shop/a", "Route/shop/b");
  }

  @Test
  void refusesAWriterWhoseLeaderEpochIsOlderThanTheLastWriters() {
    SnapshotWriter newLeader = new SnapshotWriter(redis.sync(), keys, () -> 9);
    writer.write(routes("a"), 0);
    newLeader.write(routes("b"), 0);

    WriteResult stale = writer.write(routes("stale"), 0);

    assertThat(stale.outcome()).isEqualTo(WriteResult.Outcome.FENCED);
    assertThat(stored()).containsOnlyKeys("Route/shop/b");
    assertThat(REDIS.server().cli("GET", keys.version())).isEqualTo("2");
  }

  @Test
  void rewritesEverythingRedisLostAboveEveryVersionAGatewayServes() {
    writer.write(routes("a"), 0);
    writer.write(routes("a", "b"), 0);
    gatewayReports("pod-a", 2, 5);
    String lineageBefore = REDIS.server().cli("GET", keys.lineage());
    REDIS.server().cli("FLUSHALL");
    // Within a poll interval the gateway notices and reports again what it still serves.
    gatewayReports("pod-a", 2, 5);

    // A restarted operator: it has never written, Redis holds nothing.
    WriteResult rewritten =
        new SnapshotWriter(redis.sync(), keys, epoch::get).write(routes("a", "b"), 2);

    assertThat(rewritten).isEqualTo(WriteResult.written(3));
    assertThat(stored()).containsOnlyKeys("Route/shop/a", "Route/shop/b");
    assertThat(REDIS.server().cli("XRANGE", keys.log(), "3-1", "3-1")).contains("full");
    assertThat(REDIS.server().cli("GET", keys.lineage())).isNotEqualTo(lineageBefore);
  }

  @Test
  void aFormerLeaderStaysFencedAfterRedisLostItsData() {
    SnapshotWriter leader = new SnapshotWriter(redis.sync(), keys, () -> 9);
    leader.write(routes("a"), 0);
    gatewayReports("pod-a", 1, 9);
    REDIS.server().cli("FLUSHALL");
    gatewayReports("pod-a", 1, 9);

    // The fence key went with the flush, but the gateways remember the epoch they serve.
    WriteResult stale = writer.write(routes("stale"), 0);

    assertThat(stale.outcome()).isEqualTo(WriteResult.Outcome.FENCED);
    assertThat(stored()).isEmpty();
    assertThat(leader.write(routes("a"), 1)).isEqualTo(WriteResult.written(2));
  }

  @Test
  void writesAboveTheVersionAGatewayServesWhenRedisFellBackToAnOlderOne() {
    writer.write(routes("a"), 0);
    writer.write(routes("a", "b"), 0);
    gatewayReports("pod-a", 2, 5);
    // As a failover to a replica that had not caught up would leave it.
    REDIS.server().cli("SET", keys.version(), "1");
    REDIS.server().cli("HDEL", keys.entries(), "Route/shop/b");

    assertThat(writer.write(routes("a", "c"), 2)).isEqualTo(WriteResult.written(3));
    assertThat(stored()).containsOnlyKeys("Route/shop/a", "Route/shop/c");
    assertThat(REDIS.server().cli("XRANGE", keys.log(), "3-1", "3-1")).contains("full");
  }

  private Map<String, String> stored() {
    return redis.sync().hgetall(keys.entries());
  }

  /** What a gateway pod's report says: the version it serves and the epoch that wrote it. */
  private void gatewayReports(String pod, long version, long epoch) {
    OperatorFixture.gatewayReports(
        REDIS.server(), keys, pod, version, Duration.ofSeconds(60), "", epoch);
  }
}
