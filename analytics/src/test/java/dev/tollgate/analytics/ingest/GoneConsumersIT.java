package dev.tollgate.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.analytics.AccessStreamWriter;
import dev.tollgate.analytics.TrafficGenerator;
import dev.tollgate.analytics.store.AnalyticsRedis;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The consumers of replicas that are gone leave the group; one that holds entries stays (removing
 * it would drop them unapplied), and so does one that just read.
 */
class GoneConsumersIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final Duration IDLE = Duration.ofSeconds(1);

  @Test
  void removesOnlyIdleConsumersThatHoldNoEntry() throws Exception {
    long now = System.currentTimeMillis();
    try (AccessStreamWriter writer = new AccessStreamWriter(REDIS.uri(), "edge");
        AnalyticsRedis redis = AnalyticsRedis.connect(RedisTarget.parse(REDIS.uri()))) {
      writer.append(TrafficGenerator.records(3, 3, now - 60_000, now));
      RedisCommands<String, String> cli = writer.connection().sync();
      cli.xgroupCreate(StreamOffset.from(writer.stream(), "0"), AccessStreamKeys.GROUP);
      cli.xack(writer.stream(), AccessStreamKeys.GROUP, readOne(cli, writer.stream(), "gone"));
      readOne(cli, writer.stream(), "holding"); // never acknowledged: its pod died mid-batch
      Thread.sleep(IDLE.multipliedBy(3).toMillis());
      cli.xack(writer.stream(), AccessStreamKeys.GROUP, readOne(cli, writer.stream(), "live"));

      List<String> removed = new GoneConsumers(redis.consumer(), writer.stream()).forget(IDLE);

      assertThat(removed).containsExactly("gone");
      assertThat(cli.xinfoConsumers(writer.stream(), AccessStreamKeys.GROUP))
          .map(consumer -> toMap(consumer).get("name"))
          .containsExactlyInAnyOrder("holding", "live");
      assertThat(cli.xpending(writer.stream(), AccessStreamKeys.GROUP).getCount()).isEqualTo(1);
    }
  }

  private static String readOne(RedisCommands<String, String> cli, String stream, String name) {
    List<StreamMessage<String, String>> read =
        cli.xreadgroup(
            Consumer.from(AccessStreamKeys.GROUP, name),
            XReadArgs.Builder.count(1),
            StreamOffset.lastConsumed(stream));
    return read.getFirst().getId();
  }

  /** XINFO CONSUMERS gives each consumer as a flat list of field, value, field, value... */
  private static Map<Object, Object> toMap(Object consumer) {
    List<?> flat = (List<?>) consumer;
    Map<Object, Object> fields = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      fields.put(flat.get(i), flat.get(i + 1));
    }
    return fields;
  }
}
