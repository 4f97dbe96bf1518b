package dev.tollgate.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.analytics.store.AnalyticsRedis;
import dev.tollgate.analytics.store.BucketKeys;
import dev.tollgate.analytics.surge.SurgeLog;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A day's report of a gateway with many routes busy all day: every route-minute costs two reads
 * (paths and latencies), far more than one pipeline may hold at once on the shared connection.
 */
class BusyDayReportIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final int ROUTES = 30;
  private static final int MINUTES = 24 * 60;
  private static final long NOW = 29_000_000L;

  @Test
  void aDayOfThirtyBusyRoutesIsReported() throws Exception {
    BucketKeys keys = new BucketKeys(new AccessStreamKeys("busy"));
    try (RedisClient client = RedisClient.create(REDIS.uri());
        StatefulRedisConnection<String, String> connection = client.connect();
        AnalyticsRedis redis = AnalyticsRedis.connect(RedisTarget.parse(REDIS.uri()))) {
      List<RedisFuture<?>> writes = new ArrayList<>();
      for (long m = NOW - MINUTES + 1; m <= NOW; m++) {
        Map<String, String> bucket = new LinkedHashMap<>();
        bucket.put("n", Integer.toString(ROUTES));
        for (int r = 0; r < ROUTES; r++) {
          bucket.put("r:shop/route-" + r, "1");
          writes.add(connection.async().hset(keys.paths(m, "shop/route-" + r), "c:/items", "1"));
          writes.add(connection.async().hset(keys.latency(m, "shop/route-" + r), "1024", "1"));
        }
        writes.add(connection.async().hset(keys.minute(m), bucket));
        if (writes.size() > 10_000) {
          awaitAll(writes);
        }
      }
      awaitAll(writes);

      Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW * 60 + 30), ZoneOffset.UTC);
      Report report =
          new ReportBuilder(redis.shared(), keys, "busy", new SurgeLog(redis.shared(), keys), clock)
              .build(Duration.ofHours(24), "24h", Optional.empty());

      assertThat(report.totals().requests()).isEqualTo((long) ROUTES * MINUTES);
      assertThat(report.routes()).hasSize(ROUTES);
      assertThat(report.paths()).hasSize(20);
      assertThat(report.paths().getFirst().requests()).isEqualTo(MINUTES);
      assertThat(report.routes().getFirst().p50Millis()).isBetween(0.9, 1.1);
    }
  }

  private static void awaitAll(List<RedisFuture<?>> writes) throws Exception {
    for (RedisFuture<?> write : writes) {
      write.get(10, TimeUnit.SECONDS);
    }
    writes.clear();
  }
}
