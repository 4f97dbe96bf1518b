package dev.tollgate.gateway.route;

import dev.tollgate.gateway.backend.WeightedBackends;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Nanoseconds per {@link RouteTable#match} with 3, 1,000 and 10,000 prefix routes ({@code
 * /svc-<i>}, no hosts), for a request to the first route, to the last and to no route: the CPU
 * figure behind "cost must not grow with the configuration", without the network and the rest of
 * the machine's load in it. Single-threaded, in-process; prints, asserts nothing. Uses only the
 * table's public API, so the same class can be run against another build's classes for a
 * before/after (docs/benchmarks.md, "Route matching").
 *
 * <pre>
 * java -cp gateway/target/test-classes:gateway/target/classes:$(cat gateway/target/bench.classpath) \
 *     dev.tollgate.gateway.route.RouteMatchBenchmark
 * </pre>
 */
public final class RouteMatchBenchmark {
  private static final int LOOKUPS = 2_000_000;

  private RouteMatchBenchmark() {}

  public static void main(String[] args) {
    System.out.println("| routes | first route ns | last route ns | no route ns |");
    System.out.println("|---:|---:|---:|---:|");
    for (int count : new int[] {3, 1_000, 10_000}) {
      RouteTable table = table(count);
      String first = "/svc-0/items/7";
      String last = "/svc-" + (count - 1) + "/items/7";
      String none = "/other/items/7";
      // two passes: the first warms up the JIT, the second is printed
      for (int pass = 0; pass < 2; pass++) {
        long firstNanos = nanosPerMatch(table, first);
        long lastNanos = nanosPerMatch(table, last);
        long noneNanos = nanosPerMatch(table, none);
        if (pass == 1) {
          System.out.printf("| %d | %d | %d | %d |%n", count, firstNanos, lastNanos, noneNanos);
        }
      }
    }
  }

  private static RouteTable table(int count) {
    List<CompiledRoute> routes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      routes.add(
          new CompiledRoute(
              new RouteId("bench", "svc-" + i),
              i,
              List.of(HostPattern.ANY),
              new PathMatch.Prefix("/svc-" + i),
              Set.of(),
              List.of(),
              List.of(),
              RouteFilters.rewrite(PathRewrite.NONE),
              WeightedBackends.of(List.of()),
              Set.of()));
    }
    return new RouteTable(routes);
  }

  private static long nanosPerMatch(RouteTable table, String path) {
    int lookups = LOOKUPS;
    long found = 0;
    long start = System.nanoTime();
    for (int i = 0; i < lookups; i++) {
      found += table.match("api.example.com", "GET", path).isPresent() ? 1 : 0;
      if (i == 1_000 && System.nanoTime() - start > 50_000_000L) {
        lookups = 20_000; // a scanning table: fewer lookups keep the run short
      }
    }
    long elapsed = System.nanoTime() - start;
    if (found < 0) {
      throw new AssertionError(); // keeps the result alive
    }
    return elapsed / lookups;
  }
}
