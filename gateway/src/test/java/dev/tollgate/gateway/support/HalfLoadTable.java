package dev.tollgate.gateway.support;

import java.util.List;

/**
 * Prints the half-load runs of a benchmark: the p99 each setup adds to the first (the upstream).
 */
public final class HalfLoadTable {
  private HalfLoadTable() {}

  /**
   * @param paced runs with the same pause per request, the upstream's first
   */
  public static void print(List<Wrk.Result> paced, int connections, int delayMillis, double aim) {
    double direct = paced.getFirst().p99Millis();
    System.out.printf(
        "%nHalf load: %d connections, %d ms pause before each request (aim: %.0f requests/s)%n%n",
        connections, delayMillis, aim);
    System.out.println("| setup | requests/s | p50 ms | p99 ms | p99 added to upstream's ms |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (Wrk.Result r : paced) {
      System.out.printf(
          "| %s | %.0f | %.2f | %.2f | %.2f |%n",
          r.name(), r.requestsPerSecond(), r.p50Millis(), r.p99Millis(), r.p99Millis() - direct);
    }
  }
}
