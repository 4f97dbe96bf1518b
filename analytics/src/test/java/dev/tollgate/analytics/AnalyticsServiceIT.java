package dev.tollgate.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.analytics.report.Report;
import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The analytics service on a real {@code redis-server}: reports agree exactly with an independent
 * tally of the records in the stream, with two replicas sharing the work and with entries that a
 * replica took and never applied (it died) taken over by another.
 */
class AnalyticsServiceIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final long SEED = 15L;

  private static AnalyticsSettings settings(String consumer, String claimIdle) {
    return AnalyticsSettings.from(
        Map.of(
            "TOLLGATE_REDIS_URL", REDIS.uri(),
            "TOLLGATE_GATEWAY_NAME", "edge",
            "TOLLGATE_BIND_ADDRESS", "127.0.0.1",
            "TOLLGATE_ADMIN_PORT", "0",
            "TOLLGATE_ANALYTICS_CONSUMER", consumer,
            "TOLLGATE_ANALYTICS_CLAIM_IDLE", claimIdle,
            "TOLLGATE_ANALYTICS_BATCH_SIZE", "200"),
        List.of());
  }

  /** Records over the last 3 hours, so minutes, hours and the window all matter. */
  private static List<AccessRecord> traffic(int count) {
    long now = System.currentTimeMillis();
    return TrafficGenerator.records(SEED, count, now - Duration.ofHours(3).toMillis(), now);
  }

  @Test
  void twoReplicasShareTheStreamAndTheReportMatchesAnIndependentTally() throws Exception {
    List<AccessRecord> records = traffic(6000);
    AccessTally tally = new AccessTally();
    records.forEach(tally::add);

    try (AccessStreamWriter writer = new AccessStreamWriter(REDIS.uri(), "edge");
        AnalyticsService a = AnalyticsService.start(settings("replica-a", "30s"));
        AnalyticsService b = AnalyticsService.start(settings("replica-b", "30s"))) {
      writer.append(records.subList(0, 3000));
      writer.append(records.subList(3000, records.size()));

      Report report = awaitRequests(a, 6000);

      assertMatches(report, tally);
      assertThat(pendingOf(writer)).isZero();
      assertThat(recordsApplied(a) + recordsApplied(b))
          .as("each entry applied by exactly one replica")
          .isEqualTo(6000);
    }
  }

  @Test
  void entriesOfAReplicaThatDiedAreTakenOverAndCountedOnce() throws Exception {
    List<AccessRecord> records = traffic(3000);
    AccessTally tally = new AccessTally();
    records.forEach(tally::add);

    try (AccessStreamWriter writer = new AccessStreamWriter(REDIS.uri(), "edge")) {
      writer.append(records);
      // A replica that read 1200 entries and died before applying them: they stay pending with it.
      writer
          .connection()
          .sync()
          .xgroupCreate(StreamOffset.from(writer.stream(), "0"), AccessStreamKeys.GROUP);
      List<?> taken =
          writer
              .connection()
              .sync()
              .xreadgroup(
                  Consumer.from(AccessStreamKeys.GROUP, "replica-dead"),
                  XReadArgs.Builder.count(1200),
                  StreamOffset.lastConsumed(writer.stream()));
      assertThat(taken).hasSize(1200);

      try (AnalyticsService survivor = AnalyticsService.start(settings("replica-b", "1s"))) {
        Report report = awaitRequests(survivor, 3000);

        assertMatches(report, tally);
        assertThat(pendingOf(writer)).isZero();
      }
    }
  }

  @Test
  void aReplicaThatCannotListenOnItsPortLeavesNothingRunning() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AnalyticsSettings settings =
          AnalyticsSettings.from(
              Map.of(
                  "TOLLGATE_REDIS_URL", REDIS.uri(),
                  "TOLLGATE_GATEWAY_NAME", "edge",
                  "TOLLGATE_BIND_ADDRESS", "127.0.0.1",
                  "TOLLGATE_ADMIN_PORT", Integer.toString(taken.getLocalPort()),
                  "TOLLGATE_ANALYTICS_CONSUMER", "replica-unbound"),
              List.of());

      assertThatThrownBy(() -> AnalyticsService.start(settings))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot listen");

      assertThat(Thread.getAllStackTraces().keySet())
          .filteredOn(Thread::isAlive)
          .extracting(Thread::getName)
          .as("a replica that failed to start must not consume the stream (nor keep its JVM alive)")
          .doesNotContain("tollgate-analytics-consumer", "tollgate-analytics-checks");
    }
  }

  private static Report awaitRequests(AnalyticsService service, long expected) throws Exception {
    List<Report> last = new ArrayList<>(1);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              Report report = ReportClient.fetch(service.adminPort(), "window=4h");
              last.clear();
              last.add(report);
              return report.totals().requests() >= expected;
            });
    // settled: a double count would show as more than expected, and stays visible
    Report report = ReportClient.fetch(service.adminPort(), "window=4h");
    assertThat(report.totals().requests()).isEqualTo(expected);
    return report;
  }

  static void assertMatches(Report report, AccessTally tally) {
    assertThat(report.totals().requests()).isEqualTo(tally.requests());
    assertThat(AccessTally.routes(report)).isEqualTo(tally.routes());
    assertThat(report.paths()).isEqualTo(tally.topPaths(20));
    assertThat(report.limits()).isEqualTo(tally.limits());
    assertThat(report.limitedClients()).isEqualTo(tally.topLimitedClients(10));
    assertThat(report.hourOfDay()).isEqualTo(tally.hourOfDay());
    assertThat(report.peakHour()).isEqualTo(tally.peakHour());
  }

  private static long pendingOf(AccessStreamWriter writer) {
    return writer.connection().sync().xpending(writer.stream(), AccessStreamKeys.GROUP).getCount();
  }

  private static long recordsApplied(AnalyticsService replica) {
    String metrics = LoopbackHttp.get(replica.adminPort(), "/metrics").body();
    return metrics
        .lines()
        .filter(line -> line.startsWith("tollgate_analytics_records_total"))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
