package dev.tollgate.analytics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.analytics.report.Report;
import dev.tollgate.analytics.report.ReportWindow;
import dev.tollgate.testkit.LoopbackHttp;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin port's answers, with reports built in memory. */
class AdminServerTest {
  private static final ReportWindow.Parser WINDOWS = new ReportWindow.Parser(Duration.ofHours(24));

  static Report empty(ReportWindow window) {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    return new Report(
        "edge",
        window.text(),
        now,
        now,
        window.route().orElse(null),
        new Report.Totals(0, 0, 0, 0),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        java.util.Collections.nCopies(24, 0L),
        -1,
        Map.of(),
        new Report.Timeline(1, List.of()),
        List.of());
  }

  static AdminServer start(Function<ReportWindow, Report> reports) {
    return AdminServer.start(
        "127.0.0.1",
        0,
        reports,
        WINDOWS,
        () -> true,
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/analytics/report",
        "/analytics/",
        "/analytics/report?window=1y",
        "/metrics",
        "/health/live",
        "/health/ready",
        "/nowhere"
      })
  void everyAnswerForbidsContentSniffing(String pathAndQuery) {
    try (AdminServer server = start(AdminServerTest::empty)) {
      HttpResponse<String> response = LoopbackHttp.get(server.port(), pathAndQuery);

      assertThat(response.headers().firstValue("X-Content-Type-Options"))
          .as(pathAndQuery + " answered " + response.statusCode())
          .hasValue("nosniff");
    }
  }

  @Test
  void aMethodOtherThanGetIsAlsoAnsweredWithoutSniffing() {
    try (AdminServer server = start(AdminServerTest::empty)) {
      HttpResponse<String> response =
          LoopbackHttp.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.port() + "/analytics/report"))
                  .DELETE()
                  .build());

      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
  }

  @Test
  void aReportThatFailsUnexpectedlyIsAnsweredWithAProblem() {
    try (AdminServer server =
        start(
            window -> {
              throw new IllegalStateException("a defect while building the report");
            })) {
      HttpResponse<String> response = LoopbackHttp.get(server.port(), "/analytics/report");

      assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue("application/problem+json");
      assertThat(response.body()).contains("urn:tollgate:problem:internal-error");
    }
  }

  @Test
  void reportsBeyondTheLimitAreRefusedWhileItIsTaken() throws Exception {
    int limit = AdminServer.MAX_CONCURRENT_REPORTS;
    AtomicInteger building = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(limit);
    CountDownLatch release = new CountDownLatch(1);
    Function<ReportWindow, Report> heldReports =
        window -> {
          mostAtOnce.accumulateAndGet(building.incrementAndGet(), Math::max);
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            building.decrementAndGet();
          }
          return empty(window);
        };
    try (AdminServer server = start(heldReports)) {
      try {
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
          held.add(sendAsync(server, "/analytics/report"));
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).as("the first reports started").isTrue();

        CompletableFuture<HttpResponse<String>> extra = sendAsync(server, "/analytics/");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> extra.isDone() || building.get() > limit);
        assertThat(mostAtOnce.get()).as("reports built at once").isLessThanOrEqualTo(limit);
        HttpResponse<String> refused = extra.get(10, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.body()).contains("urn:tollgate:problem:too-many-reports");

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> response : held) {
          assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(LoopbackHttp.get(server.port(), "/analytics/report").statusCode())
            .as("the limit is free again")
            .isEqualTo(200);
      } finally {
        release.countDown(); // a failed assertion leaves no request held
      }
    }
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(
      AdminServer server, String pathAndQuery) {
    return LoopbackHttp.client()
        .sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
