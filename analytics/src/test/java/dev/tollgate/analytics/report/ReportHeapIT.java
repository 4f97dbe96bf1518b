package dev.tollgate.analytics.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.analytics.store.AnalyticsRedis;
import dev.tollgate.analytics.store.BucketKeys;
import dev.tollgate.analytics.surge.SurgeLog;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A day's report of ten routes whose requests spread over 150 latency buckets and 20 paths every
 * minute: 2.4 million hash fields in Redis, far more than a small heap holds as Java maps. Built in
 * a JVM of its own with that small heap, so running out of it shows as a failed build, not as a
 * broken test JVM.
 */
class ReportHeapIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final String GATEWAY = "heap";
  private static final int ROUTES = 10;
  private static final int PATHS = 20;
  private static final int LATENCY_BUCKETS = 150;
  private static final int MINUTES = 24 * 60;
  private static final long NOW = 29_000_000L;
  private static final String HEAP = "-Xmx96m";

  @Test
  void aDayOfBusyRoutesIsReportedWithinASmallHeap() throws Exception {
    BucketKeys keys = new BucketKeys(new AccessStreamKeys(GATEWAY));
    Map<String, String> paths = new HashMap<>();
    for (int p = 0; p < PATHS; p++) {
      paths.put("c:/items/" + p, "1");
    }
    Map<String, String> latencies = new HashMap<>();
    for (int b = 0; b < LATENCY_BUCKETS; b++) {
      latencies.put(Long.toString(1_000L + 1_000L * b), "1");
    }
    try (RedisClient client = RedisClient.create(REDIS.uri());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      List<RedisFuture<?>> writes = new ArrayList<>();
      for (long m = NOW - MINUTES + 1; m <= NOW; m++) {
        Map<String, String> bucket = new HashMap<>();
        for (int r = 0; r < ROUTES; r++) {
          String route = "shop/route-" + r;
          bucket.put("r:" + route, Integer.toString(LATENCY_BUCKETS));
          writes.add(connection.async().hset(keys.paths(m, route), paths));
          writes.add(connection.async().hset(keys.latency(m, route), latencies));
        }
        writes.add(connection.async().hset(keys.minute(m), bucket));
        if (writes.size() > 1_000) {
          awaitAll(writes);
        }
      }
      awaitAll(writes);
    }

    ExternalCommand.Result built =
        ExternalCommand.run(
            Duration.ofMinutes(2),
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                HEAP,
                "-cp",
                System.getProperty("java.class.path"),
                ReportHeapIT.class.getName(),
                REDIS.uri()));

    assertThat(built.exitCode()).as(built.output()).isZero();
    assertThat(built.output())
        .contains("requests=" + (long) ROUTES * MINUTES * LATENCY_BUCKETS)
        .contains("routes=" + ROUTES)
        .contains("top path=" + MINUTES);
  }

  /** Builds the day's report from the Redis at {@code args[0]} and prints what the test checks. */
  public static void main(String[] args) {
    BucketKeys keys = new BucketKeys(new AccessStreamKeys(GATEWAY));
    Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW * 60 + 30), ZoneOffset.UTC);
    try (AnalyticsRedis redis = AnalyticsRedis.connect(RedisTarget.parse(args[0]))) {
      Report report =
          new ReportBuilder(
                  redis.shared(), keys, GATEWAY, new SurgeLog(redis.shared(), keys), clock)
              .build(Duration.ofHours(24), "24h", Optional.empty());
      System.out.println("requests=" + report.totals().requests());
      System.out.println("routes=" + report.routes().size());
      System.out.println("top path=" + report.paths().getFirst().requests());
    }
    System.exit(0);
  }

  private static void awaitAll(List<RedisFuture<?>> writes) throws Exception {
    for (RedisFuture<?> write : writes) {
      write.get(30, TimeUnit.SECONDS);
    }
    writes.clear();
  }
}
