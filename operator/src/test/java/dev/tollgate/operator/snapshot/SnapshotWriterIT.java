package dev.tollgate.operator.snapshot;

import static dev.tollgate.operator.snapshot.WriterFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
  void writesSnapshotAndVersionTogetherAndPublishesTheVersion() {
    RedisClient client = RedisClient.create(REDIS.uri());
    try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub()) {
      List<String> messages = WriterFixture.record(sub, keys.channel());

      WriteResult first = writer.write(snapshot("\"a\""));
      WriteResult second = writer.write(snapshot("\"b\""));

      assertThat(first).isEqualTo(WriteResult.written(1));
      assertThat(second).isEqualTo(WriteResult.written(2));
      assertThat(REDIS.server().cli("GET", keys.config()))
          .isEqualTo("{\"version\":2,\"routes\":[\"b\"],\"policies\":[]}");
      assertThat(REDIS.server().cli("GET", keys.version())).isEqualTo("2");
      WriterFixture.awaitMessages(messages, "tollgate:{edge}:config=1", "tollgate:{edge}:config=2");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void skipsTheWriteWhenRedisAlreadyHoldsTheSameContent() {
    writer.write(snapshot("\"a\""));

    WriteResult again = writer.write(snapshot("\"a\""));
    // A restarted operator is a new writer with the same caches: still nothing to write.
    WriteResult afterRestart =
        new SnapshotWriter(redis.sync(), keys, epoch::get).write(snapshot("\"a\""));

    assertThat(again).isEqualTo(WriteResult.unchanged(1));
    assertThat(afterRestart).isEqualTo(WriteResult.unchanged(1));
    assertThat(REDIS.server().cli("GET", keys.version())).isEqualTo("1");
  }

  @Test
  void comparesAgainstTheNewestVersionWhenAnotherWriterGotThereFirst() {
    writer.write(snapshot("\"a\""));
    // Someone else wrote v2 with other content, as a racing writer would between read and write.
    REDIS.server().cli("SET", keys.config(), snapshot("\"x\"").apply(2));
    REDIS.server().cli("SET", keys.version(), "2");

    assertThat(writer.write(snapshot("\"b\""))).isEqualTo(WriteResult.written(3));
  }

  @Test
  void refusesAWriterWhoseLeaderEpochIsOlderThanTheLastWriters() {
    SnapshotWriter newLeader = new SnapshotWriter(redis.sync(), keys, () -> 9);
    writer.write(snapshot("\"a\""));
    newLeader.write(snapshot("\"b\""));

    WriteResult stale = writer.write(snapshot("\"stale\""));

    assertThat(stale.outcome()).isEqualTo(WriteResult.Outcome.FENCED);
    assertThat(REDIS.server().cli("GET", keys.config())).contains("\"b\"");
    assertThat(REDIS.server().cli("GET", keys.version())).isEqualTo("2");
  }

  @Test
  void rewritesASnapshotThatRedisLostWithoutGoingBackInVersion() {
    writer.write(snapshot("\"a\""));
    writer.write(snapshot("\"b\""));
    REDIS.server().cli("FLUSHALL");

    assertThat(writer.write(snapshot("\"b\""))).isEqualTo(WriteResult.written(3));
    assertThat(REDIS.server().cli("GET", keys.config())).contains("\"b\"");
  }
}
