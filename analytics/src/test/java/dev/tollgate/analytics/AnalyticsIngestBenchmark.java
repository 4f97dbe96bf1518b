package dev.tollgate.analytics;

import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How fast one analytics replica applies the access stream on one local redis-server, and how many
 * bytes a stream entry takes. Fills the stream first (generated records over the last hour), then
 * starts the service and times it until every record is applied. Prints figures; asserts nothing.
 * Not part of {@code verify}:
 *
 * <pre>
 * ./mvnw -B -q -pl analytics -am install -DskipTests
 * ./mvnw -B -q -pl analytics dependency:build-classpath -Dmdep.outputFile=target/test.cp
 * (cd analytics &amp;&amp; java -cp target/test-classes:target/classes:$(cat target/test.cp) \
 *     dev.tollgate.analytics.AnalyticsIngestBenchmark [records] [batch size])
 * </pre>
 */
public final class AnalyticsIngestBenchmark {
  private AnalyticsIngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    String batch = args.length > 1 ? args[1] : "500";
    long now = System.currentTimeMillis();
    try (RedisServer redis = RedisServer.start();
        AccessStreamWriter writer = new AccessStreamWriter(redis.uri(), "bench")) {
      for (int offset = 0; offset < records; offset += 10_000) {
        List<AccessRecord> chunk =
            TrafficGenerator.records(
                offset, Math.min(10_000, records - offset), now - 3_600_000, now);
        writer.append(chunk);
      }
      long streamBytes =
          Long.parseLong(redis.cli("MEMORY", "USAGE", writer.stream(), "SAMPLES", "0"));
      long start = System.nanoTime();
      try (AnalyticsService service =
          AnalyticsService.start(
              AnalyticsSettings.from(
                  Map.of(
                      "TOLLGATE_REDIS_URL", redis.uri(),
                      "TOLLGATE_GATEWAY_NAME", "bench",
                      "TOLLGATE_BIND_ADDRESS", "127.0.0.1",
                      "TOLLGATE_ADMIN_PORT", "0",
                      "TOLLGATE_ANALYTICS_BATCH_SIZE", batch),
                  List.of()))) {
        while (applied(service) < records) {
          Thread.sleep(50); // a benchmark's polling loop, bounded by the records to apply
          if (System.nanoTime() - start > Duration.ofMinutes(10).toNanos()) {
            throw new IllegalStateException("not applied within 10 minutes");
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "| records | batch | seconds | records/s | stream bytes/entry | Redis used_memory after |%n"
                + "|---:|---:|---:|---:|---:|---|%n| %d | %s | %.1f | %.0f | %.0f | %s |%n",
            records,
            batch,
            seconds,
            records / seconds,
            (double) streamBytes / records,
            redis
                .cli("INFO", "memory")
                .lines()
                .filter(l -> l.startsWith("used_memory_human"))
                .findFirst()
                .orElse(""));
      }
    }
  }

  private static long applied(AnalyticsService service) {
    return LoopbackHttp.get(service.adminPort(), "/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith("tollgate_analytics_records_total"))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
