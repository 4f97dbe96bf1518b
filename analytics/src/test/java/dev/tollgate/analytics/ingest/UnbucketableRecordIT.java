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
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An entry whose time no minute bucket can hold (far in the future, or beyond what {@code EXPIREAT}
 * accepts) among good ones: the batch is applied once and acknowledged, the entry is counted as
 * malformed, and no bucket outlives the retention because of it.
 */
class UnbucketableRecordIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void anEntryWithATimeNoBucketCanHoldIsSkippedAndTheRestAppliedOnce() throws Exception {
    long now = System.currentTimeMillis();
    List<AccessRecord> good = TrafficGenerator.records(3, 50, now - 60_000, now);
    try (AccessStreamWriter writer = new AccessStreamWriter(REDIS.uri(), "edge");
        AnalyticsRedis redis = AnalyticsRedis.connect(RedisTarget.parse(REDIS.uri()))) {
      RedisCommands<String, String> cli = writer.connection().sync();
      writer.append(good.subList(0, 25));
      // the largest time a record can carry: EXPIREAT of its bucket overflows in Redis
      writer.append(List.of(at(good.getFirst(), Long.MAX_VALUE)));
      // a year ahead (a gateway with a wrong clock): its buckets would be kept for a year
      writer.append(List.of(at(good.getFirst(), now + Duration.ofDays(365).toMillis())));
      // the smallest: its buckets are past their expiry, so they are deleted as they are written
      writer.append(List.of(at(good.getFirst(), Long.MIN_VALUE)));
      writer.append(good.subList(25, 50));
      cli.xgroupCreate(StreamOffset.from(writer.stream(), "0"), AccessStreamKeys.GROUP);
      BucketKeys keys = new BucketKeys(new AccessStreamKeys("edge"));
      AnalyticsMetrics metrics = new AnalyticsMetrics();
      StreamConsumer consumer = consumer(redis, keys, metrics);
      List<StreamMessage<String, String>> batch =
          cli.xreadgroup(
              Consumer.from(AccessStreamKeys.GROUP, "one"),
              XReadArgs.Builder.count(100),
              StreamOffset.lastConsumed(writer.stream()));
      assertThat(batch).hasSize(53);

      consumer.process(batch);

      assertThat(requestsCounted(cli)).isEqualTo(50);
      assertThat(cli.xpending(writer.stream(), AccessStreamKeys.GROUP).getCount()).isZero();
      assertThat(metrics.registry().get("tollgate.analytics.malformed").counter().count())
          .isEqualTo(2);
      long longestTtl =
          cli.keys("tollgate:{edge:access}:m:*").stream().mapToLong(cli::ttl).max().orElseThrow();
      assertThat(longestTtl).isLessThanOrEqualTo(Duration.ofHours(24).plusMinutes(1).toSeconds());
    }
  }

  private static AccessRecord at(AccessRecord record, long timeMillis) {
    return new AccessRecord(
        timeMillis,
        record.requestId(),
        record.traceId(),
        record.route(),
        record.method(),
        record.path(),
        record.status(),
        record.bytes(),
        record.durationMicros(),
        record.upstream(),
        record.upstreamMicros(),
        record.client(),
        record.limits());
  }

  private static StreamConsumer consumer(
      AnalyticsRedis redis, BucketKeys keys, AnalyticsMetrics metrics) {
    AnalyticsSettings settings =
        AnalyticsSettings.from(
            Map.of("TOLLGATE_REDIS_URL", REDIS.uri(), "TOLLGATE_ANALYTICS_CONSUMER", "one"),
            List.of());
    return new StreamConsumer(redis.consumer(), keys, settings, metrics);
  }

  /** The "n" counters of every minute bucket. */
  private static long requestsCounted(RedisCommands<String, String> cli) {
    long total = 0;
    for (String key : cli.keys("tollgate:{edge:access}:m:*")) {
      if (key.matches(".*:m:-?[0-9]+")) {
        String n = cli.hget(key, "n");
        total += n == null ? 0 : Long.parseLong(n);
      }
    }
    return total;
  }
}
