package dev.tollgate.analytics.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.analytics.report.HtmlReport;
import dev.tollgate.analytics.report.Report;
import dev.tollgate.analytics.report.ReportJson;
import dev.tollgate.analytics.report.ReportUnavailableException;
import dev.tollgate.analytics.report.ReportWindow;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analytics service's only port, an admin port like the gateway's (never exposed publicly):
 *
 * <ul>
 *   <li>{@code GET /analytics/report?window=24h&route=ns/name}: the report as JSON
 *   <li>{@code GET /analytics/} (or {@code /analytics}): the same as an HTML page
 *   <li>{@code GET /metrics}: Prometheus text
 *   <li>{@code GET /health/live}, {@code GET /health/ready} (ready = Redis answers)
 * </ul>
 *
 * Errors are {@code application/problem+json}: 400 for a bad window, 404 for other paths, 405 for
 * other methods, 503 when Redis does not answer or {@link #MAX_CONCURRENT_REPORTS} reports are
 * being built already, 500 when a report fails any other way. The JDK's HTTP server is enough for
 * five GET endpoints on an internal port, like the operator's.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  /**
   * Reports built at once by this replica; more are answered 503 {@code too-many-reports} at once.
   * A report holds its window's minute hashes, a slice of path or latency hashes and its merged
   * counts while it is built (docs/observability.md, "Reports"), so every one more at once costs
   * that again.
   */
  static final int MAX_CONCURRENT_REPORTS = 2;

  /** Told to a refused report: about what a day's report of a busy gateway takes to build. */
  private static final Duration REPORT_RETRY_AFTER = Duration.ofSeconds(5);

  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * @param reports builds the report for a parsed window (may throw {@link
   *     ReportUnavailableException})
   * @param window parses the {@code window} and {@code route} query parameters
   */
  public static AdminServer start(
      String host,
      int port,
      Function<ReportWindow, Report> reports,
      ReportWindow.Parser window,
      BooleanSupplier ready,
      PrometheusMeterRegistry registry) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      Semaphore reportSlots = new Semaphore(MAX_CONCURRENT_REPORTS);
      server.createContext(
          "/",
          exchange -> {
            // not try-with-resources: that would close the exchange before the catch answers 500
            try {
              if (!"GET".equals(exchange.getRequestMethod())) {
                problem(exchange, 405, "method-not-allowed", "Only GET is served here.");
                return;
              }
              String path = exchange.getRequestURI().getPath();
              switch (path) {
                case "/analytics/report" ->
                    report(
                        exchange,
                        window,
                        reports,
                        reportSlots,
                        r -> ReportJson.mapper().writeValueAsBytes(r),
                        "json");
                case "/analytics", "/analytics/" ->
                    report(
                        exchange,
                        window,
                        reports,
                        reportSlots,
                        r -> HtmlReport.render(r).getBytes(StandardCharsets.UTF_8),
                        "html");
                case "/metrics" ->
                    send(
                        exchange,
                        200,
                        "text/plain; version=0.0.4; charset=utf-8",
                        bytes(registry.scrape()));
                case "/health/live" -> send(exchange, 200, "text/plain", bytes("UP"));
                case "/health/ready" -> {
                  boolean up = ready.getAsBoolean();
                  send(exchange, up ? 200 : 503, "text/plain", bytes(up ? "UP" : "DOWN"));
                }
                default -> problem(exchange, 404, "not-found", "No such endpoint.");
              }
            } catch (RuntimeException e) {
              LOG.error("Admin request {} failed", exchange.getRequestURI().getPath(), e);
              if (exchange.getResponseCode() == -1) {
                // nothing sent yet: the caller gets an answer instead of a closed connection
                problem(exchange, 500, "internal-error", "The report could not be read.");
              }
            } finally {
              exchange.close();
            }
          });
      server.start();
      return new AdminServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
  }

  /** Renders a report as JSON or HTML. */
  @FunctionalInterface
  private interface Renderer {
    byte[] render(Report report) throws IOException;
  }

  private static void report(
      HttpExchange exchange,
      ReportWindow.Parser parser,
      Function<ReportWindow, Report> reports,
      Semaphore slots,
      Renderer renderer,
      String format)
      throws IOException {
    ReportWindow window;
    try {
      window = parser.parse(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      problem(exchange, 400, "bad-window", e.getMessage());
      return;
    }
    if (!slots.tryAcquire()) {
      exchange
          .getResponseHeaders()
          .set("Retry-After", Long.toString(REPORT_RETRY_AFTER.toSeconds()));
      problem(
          exchange,
          503,
          "too-many-reports",
          "This replica is building as many reports as it builds at once; retry shortly.");
      return;
    }
    Report report;
    try {
      report = reports.apply(window);
    } catch (ReportUnavailableException e) {
      LOG.warn("Report not available: {}", e.toString());
      problem(exchange, 503, "redis-unavailable", "The analytics store did not answer.");
      return;
    } finally {
      slots.release();
    }
    if (format.equals("html")) {
      // nothing from outside the page: no scripts at all, styles and SVG inline
      exchange
          .getResponseHeaders()
          .set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
      send(exchange, 200, "text/html; charset=utf-8", renderer.render(report));
    } else {
      send(exchange, 200, "application/json", renderer.render(report));
    }
  }

  private static void problem(HttpExchange exchange, int status, String type, String detail)
      throws IOException {
    byte[] body =
        ReportJson.mapper()
            .writeValueAsBytes(
                java.util.Map.of(
                    "type", "urn:tollgate:problem:" + type, "status", status, "detail", detail));
    send(exchange, status, "application/problem+json", body);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Every answer of this port goes out here, so its headers are set in one place. */
  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    // a browser must take every body as the type it is sent as, never guess HTML from it
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
