package dev.tollgate.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.analytics.report.Report;
import dev.tollgate.analytics.report.Report.Count;
import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged analytics service ({@code target/tollgate-analytics.jar}) as a process on a real
 * {@code redis-server}: its {@code report} command prints the tables of what the service counted,
 * and a rate surge shows as documented in docs/observability.md: a warning line, the metrics and an
 * event in the report.
 */
class AnalyticsJarIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final Path JAR = Path.of("target", "tollgate-analytics.jar").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void reportCommandPrintsTheTablesOfWhatTheServiceCounted() throws Exception {
    long now = System.currentTimeMillis();
    List<AccessRecord> records =
        TrafficGenerator.records(1515L, 2000, now - Duration.ofHours(3).toMillis(), now);
    AccessTally tally = new AccessTally();
    records.forEach(tally::add);
    try (AccessStreamWriter writer = new AccessStreamWriter(REDIS.uri(), "cli");
        AnalyticsService service = AnalyticsService.start(serviceSettings("cli"))) {
      writer.append(records);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () ->
                  ReportClient.fetch(service.adminPort(), "window=4h").totals().requests()
                      == records.size());
    }

    Path dir = TempDirs.create("tollgate-analytics-cli");
    Process cli =
        start(dir, List.of("report", "--window", "24h"), Map.of("TOLLGATE_GATEWAY_NAME", "cli"));
    assertThat(cli.waitFor(60, TimeUnit.SECONDS)).as("report command finished").isTrue();
    String table = Files.readString(dir.resolve("stdout"));
    assertThat(cli.exitValue()).as(table + Files.readString(dir.resolve("stderr"))).isZero();

    assertThat(table)
        .startsWith("Traffic report for cli, last 24h (")
        .contains(
            String.format(
                "requests %d   server errors %d",
                tally.requests(), tally.routes().values().stream().mapToLong(r -> r.get(1)).sum()))
        .contains(String.format("peak hour %02d:00 UTC", tally.peakHour()));
    String routes = section(table, "Routes");
    tally
        .routes()
        .forEach(
            (route, counts) ->
                assertThat(routes)
                    .containsPattern(
                        "(?m)^  "
                            + Pattern.quote(route)
                            + " +"
                            + counts.get(0)
                            + " +"
                            + counts.get(1)
                            + " +"
                            + counts.get(2)
                            + " "));
    assertRows(section(table, "Rate-limit breaches"), tally.limits());
    assertRows(section(table, "Top limited clients"), tally.topLimitedClients(10));
    assertThat(section(table, "Top limited clients").lines().count())
        .as("header and ten clients")
        .isEqualTo(1 + 10);
    // stdout is the report alone: no log line slipped into it
    assertThat(table).doesNotContain("INFO").doesNotContain("SLF4J");
  }

  @Test
  void reportCommandWithAFlagMissingItsValueSaysSo() throws Exception {
    Path dir = TempDirs.create("tollgate-analytics-cli-usage");
    Process cli = start(dir, List.of("report", "--window"), Map.of());
    assertThat(cli.waitFor(60, TimeUnit.SECONDS)).as("report command finished").isTrue();
    String stderr = Files.readString(dir.resolve("stderr"));

    assertThat(cli.exitValue()).as(stderr).isEqualTo(2);
    assertThat(stderr.strip()).isEqualTo("tollgate-analytics: --window needs a value");
  }

  @Test
  void aSurgeRaisesTheMetricLogsAWarningAndAddsAnEventToTheReport() throws Exception {
    long nowMinute = System.currentTimeMillis() / 60_000L;
    List<AccessRecord> records = new ArrayList<>();
    // shop/orders: 10/min for ten minutes, then 300/min; the surge minutes run two minutes into
    // the future so that the test sees the same picture if a minute passes before a check
    for (long m = nowMinute - 12; m <= nowMinute + 2; m++) {
      minute(records, "shop/orders", m, m < nowMinute - 2 ? 10 : 300);
      minute(records, "shop/cart", m, 20); // flat, and below the minimum rate: never a surge
    }
    Path dir = TempDirs.create("tollgate-analytics-surge");
    int adminPort = FreePort.pick();
    try (AccessStreamWriter writer = new AccessStreamWriter(REDIS.uri(), "surge")) {
      writer.append(records);
    }
    Map<String, String> env = new HashMap<>();
    env.put("TOLLGATE_GATEWAY_NAME", "surge");
    env.put("TOLLGATE_ADMIN_PORT", Integer.toString(adminPort));
    env.put("TOLLGATE_ANALYTICS_SURGE_WINDOW", "2m");
    env.put("TOLLGATE_ANALYTICS_SURGE_BASELINE", "10m");
    env.put("TOLLGATE_ANALYTICS_SURGE_FACTOR", "3");
    env.put("TOLLGATE_ANALYTICS_SURGE_MIN_RATE", "50");
    env.put("TOLLGATE_LOG_FORMAT", "json");
    Process service = start(dir, List.of(), env);
    try {
      // the first check runs 5 s after start, then every 30 s
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreExceptions()
          .failFast("analytics exited", () -> !service.isAlive())
          .until(
              () ->
                  LoopbackHttp.get(adminPort, "/metrics")
                      .body()
                      .contains("tollgate_analytics_surges_total{route=\"shop/orders\"} 1.0"));

      String metrics = LoopbackHttp.get(adminPort, "/metrics").body();
      assertThat(metrics)
          .contains("tollgate_analytics_surge_active{route=\"shop/orders\"} 1.0")
          .contains("tollgate_analytics_surge_active{route=\"shop/cart\"} 0.0")
          .doesNotContain("tollgate_analytics_surges_total{route=\"shop/cart\"}");

      Report report = ReportClient.fetch(adminPort, "window=1h");
      assertThat(report.surges())
          .singleElement()
          .satisfies(
              surge -> {
                assertThat(surge.route()).isEqualTo("shop/orders");
                assertThat(surge.perMinute()).isEqualTo(300.0);
                assertThat(surge.perMinute()).isGreaterThanOrEqualTo(3 * surge.baselinePerMinute());
              });

      List<JsonNode> warnings =
          jsonLines(dir.resolve("stdout")).stream()
              .filter(l -> l.path("level").asText().equals("WARN"))
              .filter(l -> l.path("loggerName").asText().endsWith("SurgeDetector"))
              .toList();
      assertThat(warnings)
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line.path("formattedMessage").asText())
                      .matches(
                          "Surge on route shop/orders: 300\\.0 requests/min over the last PT2M,"
                              + " [0-9.]+x its [0-9.]+ requests/min over the PT10M before"));
    } finally {
      service.destroy();
      if (!service.waitFor(20, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
    assertThat(Files.readString(dir.resolve("stdout")) + Files.readString(dir.resolve("stderr")))
        .doesNotContain("SLF4J");
  }

  private static void minute(List<AccessRecord> out, String route, long minute, int count) {
    for (int i = 0; i < count; i++) {
      out.add(
          new AccessRecord(
              minute * 60_000L + i * (60_000L / count),
              route + "-" + minute + "-" + i,
              "",
              route,
              "GET",
              "/" + route.substring(route.indexOf('/') + 1),
              200,
              2,
              1_000,
              "http://127.0.0.1:9",
              500,
              "10.2.0.1",
              List.of()));
    }
  }

  private static AnalyticsSettings serviceSettings(String gateway) {
    return AnalyticsSettings.from(
        Map.of(
            "TOLLGATE_REDIS_URL",
            REDIS.uri(),
            "TOLLGATE_GATEWAY_NAME",
            gateway,
            "TOLLGATE_BIND_ADDRESS",
            "127.0.0.1",
            "TOLLGATE_ADMIN_PORT",
            "0"),
        List.of());
  }

  /**
   * {@code java -jar tollgate-analytics.jar args} with stdout and stderr in files of {@code dir}.
   */
  private static Process start(Path dir, List<String> args, Map<String, String> env) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing; run the package phase first");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-Xmx128m", "-jar", JAR.toString()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(dir.resolve("stdout").toFile())
            .redirectError(dir.resolve("stderr").toFile());
    builder.environment().clear();
    builder.environment().put("TOLLGATE_REDIS_URL", REDIS.uri());
    builder.environment().put("TOLLGATE_BIND_ADDRESS", "127.0.0.1");
    builder.environment().putAll(env);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines of one section of the table report, its title excluded. */
  private static String section(String table, String title) {
    int start = table.indexOf("\n" + title + "\n");
    assertThat(start).as("section " + title).isNotNegative();
    String rest = table.substring(start + title.length() + 2);
    int end = rest.indexOf("\n\n");
    return end < 0 ? rest : rest.substring(0, end + 1);
  }

  private static void assertRows(String section, List<Count> expected) {
    assertThat(expected).isNotEmpty();
    for (Count count : expected) {
      assertThat(section)
          .containsPattern("(?m)^  " + Pattern.quote(count.name()) + " +" + count.count() + "$");
    }
  }

  private static List<JsonNode> jsonLines(Path file) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as(line).isTrue();
      lines.add(node);
    }
    return lines;
  }
}
