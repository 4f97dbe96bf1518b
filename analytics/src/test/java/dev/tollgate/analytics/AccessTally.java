package dev.tollgate.analytics;

import dev.tollgate.analytics.report.Report;
import dev.tollgate.analytics.report.Report.Count;
import dev.tollgate.api.access.AccessRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a report must say about a list of requests, counted independently of the service: tests
 * tally what they sent and compare it with what the analytics service reports.
 */
public final class AccessTally {
  private final Map<String, long[]> routes = new TreeMap<>(); // requests, 5xx, 429
  private final Map<List<String>, long[]> paths = new TreeMap<>(AccessTally::comparePaths);
  private final Map<String, Long> limits = new TreeMap<>();
  private final Map<String, Long> limitedClients = new TreeMap<>();
  private final long[] hours = new long[24];
  private long requests;

  public AccessTally add(AccessRecord record) {
    String route = record.route().isEmpty() ? "-" : record.route();
    long[] r = routes.computeIfAbsent(route, k -> new long[3]);
    long[] p = paths.computeIfAbsent(List.of(route, record.path()), k -> new long[2]);
    r[0]++;
    p[0]++;
    if (record.status() >= 500) {
      r[1]++;
      p[1]++;
    }
    if (record.status() == 429) {
      r[2]++;
    }
    for (AccessRecord.LimitDecision decision : record.limits()) {
      if (decision.limited()) {
        limits.merge(decision.id(), 1L, Long::sum);
      }
    }
    if (record.limited()) {
      limitedClients.merge(record.client(), 1L, Long::sum);
    }
    hours[(int) Math.floorMod(Math.floorDiv(record.timeMillis(), 3_600_000L), 24L)]++;
    requests++;
    return this;
  }

  public long requests() {
    return requests;
  }

  /** route → {requests, 5xx, 429}. */
  public Map<String, List<Long>> routes() {
    Map<String, List<Long>> out = new TreeMap<>();
    routes.forEach((k, v) -> out.put(k, List.of(v[0], v[1], v[2])));
    return out;
  }

  /** The report's own view of the same: route → {requests, errors, limited}. */
  public static Map<String, List<Long>> routes(Report report) {
    Map<String, List<Long>> out = new TreeMap<>();
    report
        .routes()
        .forEach(r -> out.put(r.route(), List.of(r.requests(), r.errors(), r.limited())));
    return out;
  }

  /** The top {@code n} paths as the report orders them: most first, then route, then path. */
  public List<Report.PathStats> topPaths(int n) {
    List<Report.PathStats> all = new ArrayList<>();
    paths.forEach((k, v) -> all.add(new Report.PathStats(k.get(0), k.get(1), v[0], v[1])));
    all.sort(
        Comparator.comparingLong(Report.PathStats::requests)
            .reversed()
            .thenComparing(Report.PathStats::route)
            .thenComparing(Report.PathStats::path));
    return all.subList(0, Math.min(n, all.size()));
  }

  public List<Count> limits() {
    return top(limits, Integer.MAX_VALUE);
  }

  public List<Count> topLimitedClients(int n) {
    return top(limitedClients, n);
  }

  public List<Long> hourOfDay() {
    List<Long> out = new ArrayList<>();
    for (long h : hours) {
      out.add(h);
    }
    return out;
  }

  public int peakHour() {
    int peak = -1;
    for (int h = 0; h < 24; h++) {
      if (hours[h] > 0 && (peak < 0 || hours[h] > hours[peak])) {
        peak = h;
      }
    }
    return peak;
  }

  private static List<Count> top(Map<String, Long> counts, int n) {
    List<Count> all = new ArrayList<>();
    counts.forEach((k, v) -> all.add(new Count(k, v)));
    all.sort(Comparator.comparingLong(Count::count).reversed().thenComparing(Count::name));
    return all.subList(0, Math.min(n, all.size()));
  }

  private static int comparePaths(List<String> a, List<String> b) {
    int byRoute = a.get(0).compareTo(b.get(0));
    return byRoute != 0 ? byRoute : a.get(1).compareTo(b.get(1));
  }
}
