package dev.tollgate.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.analytics.AccessStreamWriter;
import dev.tollgate.analytics.TrafficGenerator;
import dev.tollgate.analytics.metrics.AnalyticsMetrics;
import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.analytics.store.AnalyticsRedis;
import dev.tollgate.analytics.store.BucketKeys;
import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica that was slow rather than dead: another one claimed part of its batch meanwhile. The
 * apply script notices, the slow one applies only what is still its own, and the claimed part is
 * applied once, by its new owner.
 */
class SlowReplicaIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void appliesOnlyTheEntriesStillItsOwnAndTheClaimerAppliesTheRest() throws Exception {
    long now = System.currentTimeMillis();
    List<AccessRecord> records = TrafficGenerator.records(7, 100, now - 60_000, now);
    try (AccessStreamWriter writer = new AccessStreamWriter(REDIS.uri(), "edge");
        AnalyticsRedis redis = AnalyticsRedis.connect(RedisTarget.parse(REDIS.uri()))) {
      writer.append(records);
      RedisCommands<String, String> cli = writer.connection().sync();
      cli.xgroupCreate(StreamOffset.from(writer.stream(), "0"), AccessStreamKeys.GROUP);
      BucketKeys keys = new BucketKeys(new AccessStreamKeys("edge"));
      StreamConsumer slow = consumer(redis, keys, "slow");
      StreamConsumer claimer = consumer(redis, keys, "claimer");

      List<StreamMessage<String, String>> batch =
          cli.xreadgroup(
              Consumer.from(AccessStreamKeys.GROUP, "slow"),
              XReadArgs.Builder.count(100),
              StreamOffset.lastConsumed(writer.stream()));
      List<StreamMessage<String, String>> claimed =
          cli.xclaim(
              writer.stream(),
              Consumer.from(AccessStreamKeys.GROUP, "claimer"),
              XClaimArgs.Builder.minIdleTime(0),
              batch.subList(60, 100).stream().map(StreamMessage::getId).toArray(String[]::new));

      slow.process(batch);
      assertThat(requestsCounted(cli, keys, now)).isEqualTo(60);

      claimer.process(claimed);
      assertThat(requestsCounted(cli, keys, now)).isEqualTo(100);
      assertThat(cli.xpending(writer.stream(), AccessStreamKeys.GROUP).getCount()).isZero();

      slow.process(batch); // a retry of the whole batch changes nothing: none of it is pending
      assertThat(requestsCounted(cli, keys, now)).isEqualTo(100);
    }
  }

  private static StreamConsumer consumer(AnalyticsRedis redis, BucketKeys keys, String name) {
    AnalyticsSettings settings =
        AnalyticsSettings.from(
            Map.of("TOLLGATE_REDIS_URL", REDIS.uri(), "TOLLGATE_ANALYTICS_CONSUMER", name),
            List.of());
    return new StreamConsumer(redis.consumer(), keys, settings, new AnalyticsMetrics());
  }

  /** The "n" counters of the minute buckets the records fall in. */
  private static long requestsCounted(
      RedisCommands<String, String> cli, BucketKeys keys, long now) {
    long minute = now / 60_000;
    long total = 0;
    for (long m = minute - 2; m <= minute; m++) {
      String n = cli.hget(keys.minute(m), "n");
      total += n == null ? 0 : Long.parseLong(n);
    }
    return total;
  }
}
