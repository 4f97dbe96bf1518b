package dev.tollgate.analytics.report;

import dev.tollgate.analytics.report.Report.Count;
import dev.tollgate.analytics.report.Report.PathStats;
import dev.tollgate.analytics.report.Report.RouteStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report as plain-text tables, for {@code java -jar tollgate-analytics.jar report}. */
public final class TableReport {
  private static final List<String> ROUTE_COLUMNS =
      List.of("ROUTE", "REQUESTS", "ERRORS", "429", "P50 MS", "P95 MS", "P99 MS");

  private TableReport() {}

  public static String render(Report report) {
    StringBuilder out = new StringBuilder();
    out.append("Traffic report for ")
        .append(report.gateway())
        .append(", last ")
        .append(report.window())
        .append(" (")
        .append(report.from())
        .append(" to ")
        .append(report.to())
        .append(")")
        .append(report.route() == null ? "" : ", route " + report.route())
        .append("\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "requests %d   server errors %d (%.2f%%)   rate limited %d   peak hour %s%n",
            report.totals().requests(),
            report.totals().errors(),
            report.totals().errorRatio() * 100,
            report.totals().limited(),
            report.peakHour() < 0
                ? "-"
                : String.format(Locale.ROOT, "%02d:00 UTC", report.peakHour())));
    section(out, "Routes");
    table(out, ROUTE_COLUMNS, routeRows(report.routes()));
    section(out, "Slowest routes");
    table(out, ROUTE_COLUMNS, routeRows(report.slowestRoutes()));
    section(out, "Most frequent endpoints");
    List<List<String>> paths = new ArrayList<>();
    for (PathStats p : report.paths()) {
      paths.add(List.of(p.route(), p.path(), "" + p.requests(), "" + p.errors()));
    }
    table(out, List.of("ROUTE", "PATH", "REQUESTS", "ERRORS"), paths);
    section(out, "Rate-limit breaches");
    table(out, List.of("LIMIT", "REFUSED"), countRows(report.limits()));
    section(out, "Top limited clients");
    table(out, List.of("CLIENT", "REFUSED"), countRows(report.limitedClients()));
    section(out, "Requests per hour of day (UTC)");
    List<List<String>> hours = new ArrayList<>();
    for (int h = 0; h < 24; h++) {
      if (report.hourOfDay().get(h) > 0) {
        hours.add(List.of(String.format(Locale.ROOT, "%02d", h), "" + report.hourOfDay().get(h)));
      }
    }
    table(out, List.of("HOUR", "REQUESTS"), hours);
    section(out, "Recent surges");
    List<List<String>> surges = new ArrayList<>();
    report
        .surges()
        .forEach(
            s ->
                surges.add(
                    List.of(
                        s.route(),
                        s.startedAt().toString(),
                        "" + s.perMinute(),
                        "" + s.baselinePerMinute())));
    table(out, List.of("ROUTE", "DETECTED", "REQUESTS/MIN", "BASELINE/MIN"), surges);
    return out.toString();
  }

  private static List<List<String>> routeRows(List<RouteStats> routes) {
    List<List<String>> rows = new ArrayList<>();
    for (RouteStats r : routes) {
      rows.add(
          List.of(
              r.route(),
              "" + r.requests(),
              "" + r.errors(),
              "" + r.limited(),
              String.format(Locale.ROOT, "%.1f", r.p50Millis()),
              String.format(Locale.ROOT, "%.1f", r.p95Millis()),
              String.format(Locale.ROOT, "%.1f", r.p99Millis())));
    }
    return rows;
  }

  private static List<List<String>> countRows(List<Count> counts) {
    List<List<String>> rows = new ArrayList<>();
    counts.forEach(c -> rows.add(List.of(c.name(), "" + c.count())));
    return rows;
  }

  private static void section(StringBuilder out, String title) {
    out.append('\n').append(title).append('\n');
  }

  private static void table(StringBuilder out, List<String> header, List<List<String>> rows) {
    if (rows.isEmpty()) {
      out.append("  (none)\n");
      return;
    }
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    line(out, header, widths);
    rows.forEach(row -> line(out, row, widths));
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder("  ");
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      // first column left-aligned (names), the rest right-aligned (numbers)
      String format = i == 0 || (i == 1 && !cells.get(1).matches("[0-9.]+")) ? "%-" : "%";
      line.append(String.format(Locale.ROOT, format + widths[i] + "s  ", cell));
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
