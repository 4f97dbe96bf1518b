package dev.tollgate.analytics.report;

import dev.tollgate.analytics.report.Report.Count;
import dev.tollgate.analytics.report.Report.PathStats;
import dev.tollgate.analytics.report.Report.Point;
import dev.tollgate.analytics.report.Report.RouteStats;
import dev.tollgate.analytics.surge.Surge;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The report page: server-rendered HTML with inline SVG charts and inline CSS, and no script or
 * asset from anywhere (the page is served with a {@code default-src 'none'} content security
 * policy). Every value from the stream is HTML-escaped. Elements carry {@code id}s so tests and
 * scrapers can read the figures.
 */
public final class HtmlReport {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final String STYLE =
      """
      body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2433;background:#fafbfc}
      h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
      .meta{color:#5b6478}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
      .card{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:10px 16px;min-width:130px}
      .card b{display:block;font-size:22px}table{border-collapse:collapse;background:#fff}
      th,td{border:1px solid #dde1e8;padding:4px 10px;text-align:right}
      th:first-child,td:first-child,#paths td:nth-child(2){text-align:left}th{background:#eef1f5}
      svg{background:#fff;border:1px solid #dde1e8;border-radius:6px}
      .bar{fill:#3d7bd9}.err{fill:#d9473d}.peak{fill:#e08a1e}.axis{font-size:10px;fill:#5b6478}
      .empty{color:#5b6478;font-style:italic}
      """;

  private HtmlReport() {}

  public static String render(Report report) {
    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Tollgate traffic report: ")
        .append(escape(report.gateway()))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>");
    html.append("<h1>Traffic report: ").append(escape(report.gateway())).append("</h1>");
    html.append("<p class=\"meta\">Last ")
        .append(escape(report.window()))
        .append(", ")
        .append(TIME.format(report.from()))
        .append(" to ")
        .append(TIME.format(report.to()));
    if (report.route() != null) {
      html.append(", route <b>").append(escape(report.route())).append("</b>");
    }
    html.append("</p><div class=\"cards\">");
    card(html, "total-requests", "Requests", Long.toString(report.totals().requests()));
    card(html, "total-errors", "Server errors (5xx)", Long.toString(report.totals().errors()));
    card(html, "total-limited", "Rate limited (429)", Long.toString(report.totals().limited()));
    card(
        html,
        "error-ratio",
        "Error ratio",
        String.format(Locale.ROOT, "%.2f%%", report.totals().errorRatio() * 100));
    card(
        html,
        "peak-hour",
        "Peak hour (UTC)",
        report.peakHour() < 0 ? "-" : String.format(Locale.ROOT, "%02d:00", report.peakHour()));
    html.append("</div>");

    html.append("<h2>Traffic over time</h2>");
    timelineChart(html, report);
    html.append("<h2>Peak traffic times: requests per hour of day (UTC)</h2>");
    hourChart(html, report);

    html.append("<h2>Routes</h2>");
    routeTable(html, "routes", report.routes());
    html.append("<h2>Slowest routes (p99)</h2>");
    routeTable(html, "slowest", report.slowestRoutes());

    html.append("<h2>Most frequent endpoints</h2>");
    table(
        html,
        "paths",
        List.of("Route", "Path", "Requests", "Errors"),
        report.paths(),
        (PathStats p) ->
            List.of(p.route(), p.path(), Long.toString(p.requests()), Long.toString(p.errors())));
    html.append("<h2>Rate-limit breaches by limit</h2>");
    table(
        html,
        "limits",
        List.of("Limit (namespace/policy/limit)", "Refused requests"),
        report.limits(),
        (Count c) -> List.of(c.name(), Long.toString(c.count())));
    html.append("<h2>Top limited clients</h2>");
    table(
        html,
        "limited-clients",
        List.of("Client", "Refused requests"),
        report.limitedClients(),
        (Count c) -> List.of(c.name(), Long.toString(c.count())));
    html.append("<h2>Recent surges</h2>");
    table(
        html,
        "surges",
        List.of("Route", "Detected", "Requests/min", "Baseline requests/min"),
        report.surges(),
        (Surge s) ->
            List.of(
                s.route(),
                TIME.format(s.startedAt()),
                Double.toString(s.perMinute()),
                Double.toString(s.baselinePerMinute())));
    html.append("</body></html>");
    return html.toString();
  }

  private static void card(StringBuilder html, String id, String label, String value) {
    html.append("<div class=\"card\">")
        .append(escape(label))
        .append("<b id=\"")
        .append(id)
        .append("\">")
        .append(escape(value))
        .append("</b></div>");
  }

  private static void routeTable(StringBuilder html, String id, List<RouteStats> routes) {
    table(
        html,
        id,
        List.of("Route", "Requests", "Errors", "429", "p50 ms", "p95 ms", "p99 ms"),
        routes,
        (RouteStats r) ->
            List.of(
                r.route(),
                Long.toString(r.requests()),
                Long.toString(r.errors()),
                Long.toString(r.limited()),
                millis(r.p50Millis()),
                millis(r.p95Millis()),
                millis(r.p99Millis())));
  }

  private static <T> void table(
      StringBuilder html,
      String id,
      List<String> headings,
      List<T> rows,
      Function<T, List<String>> cells) {
    if (rows.isEmpty()) {
      html.append("<p class=\"empty\" id=\"").append(id).append("\">None in this window.</p>");
      return;
    }
    html.append("<table id=\"").append(id).append("\"><tr>");
    headings.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
    html.append("</tr>");
    for (T row : rows) {
      html.append("<tr>");
      cells.apply(row).forEach(c -> html.append("<td>").append(escape(c)).append("</td>"));
      html.append("</tr>");
    }
    html.append("</table>");
  }

  private static void timelineChart(StringBuilder html, Report report) {
    List<Point> points = report.timeline().points();
    long max = Math.max(1, points.stream().mapToLong(Point::requests).max().orElse(1));
    int width = 900;
    int height = 180;
    double barWidth = (double) width / Math.max(1, points.size());
    html.append("<svg id=\"timeline\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height + 20)
        .append("\" role=\"img\" aria-label=\"requests per ")
        .append(report.timeline().stepMinutes())
        .append(" minutes\">");
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      double x = i * barWidth;
      bar(html, "bar", x, barWidth, p.requests() * (double) height / max, height, p.requests());
      bar(html, "err", x, barWidth, p.errors() * (double) height / max, height, p.errors());
    }
    html.append("<text class=\"axis\" x=\"2\" y=\"")
        .append(height + 14)
        .append("\">")
        .append(TIME.format(report.from()))
        .append("</text><text class=\"axis\" x=\"")
        .append(width - 2)
        .append("\" y=\"")
        .append(height + 14)
        .append("\" text-anchor=\"end\">")
        .append(TIME.format(report.to()))
        .append("</text><text class=\"axis\" x=\"2\" y=\"10\">max ")
        .append(max)
        .append(" per ")
        .append(report.timeline().stepMinutes())
        .append(" min</text></svg>");
  }

  private static void hourChart(StringBuilder html, Report report) {
    List<Long> hours = report.hourOfDay();
    long max = Math.max(1, hours.stream().mapToLong(Long::longValue).max().orElse(1));
    int height = 140;
    int barWidth = 30;
    html.append("<svg id=\"hours\" width=\"")
        .append(24 * barWidth)
        .append("\" height=\"")
        .append(height + 20)
        .append("\" role=\"img\" aria-label=\"requests per hour of day\">");
    for (int h = 0; h < 24; h++) {
      String kind = h == report.peakHour() ? "peak" : "bar";
      bar(
          html,
          kind,
          h * barWidth,
          barWidth,
          hours.get(h) * (double) height / max,
          height,
          hours.get(h));
      html.append("<text class=\"axis\" x=\"")
          .append(h * barWidth + barWidth / 2)
          .append("\" y=\"")
          .append(height + 14)
          .append("\" text-anchor=\"middle\">")
          .append(String.format(Locale.ROOT, "%02d", h))
          .append("</text>");
    }
    html.append("</svg>");
  }

  private static void bar(
      StringBuilder html,
      String kind,
      double x,
      double width,
      double barHeight,
      int height,
      long value) {
    if (value == 0) {
      return;
    }
    html.append(
        String.format(
            Locale.ROOT,
            "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                + "<title>%d</title></rect>",
            kind,
            x + 0.5,
            height - barHeight,
            Math.max(1, width - 1),
            Math.max(1, barHeight),
            value));
  }

  private static String millis(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
