package dev.tollgate.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.analytics.AccessStreamWriter;
import dev.tollgate.analytics.TrafficGenerator;
import dev.tollgate.analytics.metrics.AnalyticsMetrics;
import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.analytics.store.AnalyticsRedis;
import dev.tollgate.analytics.store.BucketKeys;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
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

  /**
   * An external Redis whose analytics user was set up before the group was kept tidy refuses the
   * removal: the ingest goes on regardless.
   */
  @Test
  void aUserNotAllowedToRemoveConsumersStillIngests() throws Exception {
    long now = System.currentTimeMillis();
    try (AccessStreamWriter writer = new AccessStreamWriter(REDIS.uri(), "edge")) {
      RedisCommands<String, String> cli = writer.connection().sync();
      cli.dispatch(
          CommandType.ACL,
          new StatusOutput<>(StringCodec.UTF8),
          new CommandArgs<>(StringCodec.UTF8)
              .add("SETUSER")
              .add("analytics-before")
              .add("on")
              .add(">before-password")
              .add("~*")
              .add("+@all")
              .add("-xinfo|consumers")
              .add("-xgroup|delconsumer"));
      writer.append(TrafficGenerator.records(5, 50, now - 60_000, now));
      AnalyticsSettings settings =
          AnalyticsSettings.from(
              Map.of(
                  "TOLLGATE_REDIS_URL", REDIS.uri(),
                  "TOLLGATE_REDIS_USERNAME", "analytics-before",
                  "TOLLGATE_REDIS_PASSWORD", "before-password",
                  "TOLLGATE_ANALYTICS_CONSUMER", "before"),
              List.of());
      try (AnalyticsRedis redis = AnalyticsRedis.connect(settings.redis().target());
          StreamConsumer consumer =
              new StreamConsumer(
                  redis.consumer(),
                  new BucketKeys(new AccessStreamKeys("edge")),
                  settings,
                  new AnalyticsMetrics())) {
        consumer.start();

        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  assertThat(groupField(cli, writer.stream(), "lag")).isEqualTo(0L);
                  assertThat(groupField(cli, writer.stream(), "pending")).isEqualTo(0L);
                });
      }
    }
  }

  /** A field of the group's XINFO GROUPS entry. */
  private static Object groupField(RedisCommands<String, String> cli, String stream, String field) {
    return toMap(cli.xinfoGroups(stream).getFirst()).get(field);
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
