package dev.tollgate.analytics.report;

import dev.tollgate.analytics.report.Report.PathStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Requests and 5xx per route and path over a report's window, in bounded memory. Paths are capped
 * per route and minute in Redis, but over a window they are not: a client that sends a new path
 * every few seconds (to no route, or to be refused) adds hundreds of thousands of pairs to a day,
 * and two reports at once would take the service's heap. At most {@code capacity} pairs are kept;
 * past that the half with the fewest requests is dropped, so the busiest paths, the only ones a
 * report shows, stay (a pair dropped and seen again starts over, short by what it had counted).
 */
final class PathTally {
  private static final Comparator<Map.Entry<List<String>, long[]>> FEWEST_FIRST =
      Comparator.comparingLong(e -> e.getValue()[0]);

  private final int capacity;
  private final Map<List<String>, long[]> counts = new HashMap<>();

  PathTally(int capacity) {
    this.capacity = capacity;
  }

  void requests(String route, String path, long amount) {
    pair(route, path)[0] += amount;
  }

  void errors(String route, String path, long amount) {
    pair(route, path)[1] += amount;
  }

  int size() {
    return counts.size();
  }

  /** The {@code limit} pairs with the most requests; ties by route, then path. */
  List<PathStats> top(int limit) {
    List<PathStats> all = new ArrayList<>(counts.size());
    counts.forEach((k, v) -> all.add(new PathStats(k.get(0), k.get(1), v[0], v[1])));
    all.sort(
        Comparator.comparingLong(PathStats::requests)
            .reversed()
            .thenComparing(PathStats::route)
            .thenComparing(PathStats::path));
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  private long[] pair(String route, String path) {
    long[] pair = counts.get(List.of(route, path));
    if (pair == null) {
      if (counts.size() >= capacity) {
        dropFewestHalf();
      }
      pair = new long[2];
      counts.put(List.of(route, path), pair);
    }
    return pair;
  }

  private void dropFewestHalf() {
    List<Map.Entry<List<String>, long[]>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(FEWEST_FIRST);
    for (Map.Entry<List<String>, long[]> dropped : entries.subList(0, entries.size() / 2 + 1)) {
      counts.remove(dropped.getKey());
    }
  }
}
