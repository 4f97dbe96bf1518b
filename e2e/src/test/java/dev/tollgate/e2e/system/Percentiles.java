package dev.tollgate.e2e.system;

import java.util.List;

/** Nearest-rank percentiles of a list of durations in milliseconds (system and cluster tests). */
public record Percentiles(int count, double p50, double p90, double p99, double max) {
  /** All figures NaN when there are none (a run whose random edits never made that kind). */
  public static Percentiles of(List<Double> millis) {
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Percentiles(
        sorted.length,
        rank(sorted, 0.50),
        rank(sorted, 0.90),
        rank(sorted, 0.99),
        rank(sorted, 1.0));
  }

  private static double rank(double[] sorted, double fraction) {
    int index = (int) Math.ceil(fraction * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
  }

  public String row(String what) {
    return String.format(
        "| %s | %d | %.0f | %.0f | %.0f | %.0f |", what, count, p50, p90, p99, max);
  }
}
