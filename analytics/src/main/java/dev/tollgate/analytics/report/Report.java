package dev.tollgate.analytics.report;

import dev.tollgate.analytics.surge.Surge;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One analytics report over a window, as served at {@code /analytics/report} (JSON), rendered as
 * the report page and printed by {@code report}. Counts are exact (every stream entry applied
 * once); paths beyond the per-minute cap count as {@code (other)}, limited clients are a bounded
 * top-K per minute, latencies come from the merged sketch (within 6.25%).
 *
 * @param gateway the gateway instance whose stream this is
 * @param window the window asked for ({@code 24h})
 * @param from start of the first minute in the window
 * @param to end of the last minute (the current one)
 * @param route the route the report is limited to; null = all
 * @param totals sums over the window
 * @param routes per route, most requests first
 * @param slowestRoutes per route, highest p99 first (at most 10)
 * @param paths most requested normalized paths (at most 20)
 * @param limits requests refused per limit ({@code namespace/policy/limit}), most first
 * @param limitedClients clients refused most often (at most 10)
 * @param hourOfDay requests per UTC hour of day (24 entries, index = hour)
 * @param peakHour the UTC hour of day with the most requests (the earliest on a tie), -1 without
 *     traffic
 * @param statuses requests per status code
 * @param timeline requests and errors over the window, in equal steps
 * @param surges recent surges, newest first
 */
public record Report(
    String gateway,
    String window,
    Instant from,
    Instant to,
    String route,
    Totals totals,
    List<RouteStats> routes,
    List<RouteStats> slowestRoutes,
    List<PathStats> paths,
    List<Count> limits,
    List<Count> limitedClients,
    List<Long> hourOfDay,
    int peakHour,
    Map<String, Long> statuses,
    Timeline timeline,
    List<Surge> surges) {

  /**
   * @param errors responses with a 5xx status
   * @param limited responses with status 429
   */
  public record Totals(long requests, long errors, long limited, double errorRatio) {}

  public record RouteStats(
      String route,
      long requests,
      long errors,
      long limited,
      double p50Millis,
      double p95Millis,
      double p99Millis) {}

  public record PathStats(String route, String path, long requests, long errors) {}

  /** A name and how often; for limits and limited clients. */
  public record Count(String name, long count) {}

  /**
   * @param stepMinutes minutes per point
   * @param points one per step, oldest first
   */
  public record Timeline(int stepMinutes, List<Point> points) {}

  public record Point(Instant start, long requests, long errors) {}
}
