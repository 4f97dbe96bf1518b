package dev.tollgate.gateway.support;

import java.util.List;

/**
 * Prints the half-load runs of a benchmark: the p99 each setup adds to the first (the upstream).
 */
public final class HalfLoadTable {
  private HalfLoadTable() {}

  /**
   * The pause each of {@code connections} makes before a request so that together they send about
   * {@code aim} requests/s: the pause that would give {@code aim} if requests took no time, rounded
   * down to whole milliseconds (wrk's unit), because each request's own latency adds to it.
   */
  public static int delayMillis(int connections, double aim) {
    return (int) Math.max(1, Math.round(connections * 1000 / aim - 0.5));
  }

  /**
   * @param what the rate aimed at, in words ("half the gateway's rate")
   * @param paced runs with the same pause per request, the upstream's first
   */
  public static void print(
      String what, List<Wrk.Result> paced, int connections, int delayMillis, double aim) {
    double direct = paced.getFirst().p99Millis();
    System.out.printf(
        "%nAt %s: %d connections, %d ms pause before each request (aim: %.0f requests/s)%n%n",
        what, connections, delayMillis, aim);
    System.out.println("| setup | requests/s | p50 ms | p99 ms | p99 added to upstream's ms |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (Wrk.Result r : paced) {
      System.out.printf(
          "| %s | %.0f | %.2f | %.2f | %.2f |%n",
          r.name(), r.requestsPerSecond(), r.p50Millis(), r.p99Millis(), r.p99Millis() - direct);
    }
  }
}
