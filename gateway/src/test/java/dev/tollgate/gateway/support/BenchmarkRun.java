package dev.tollgate.gateway.support;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The command-line arguments the wrk benchmarks share: {@code [seconds per run] [connections]
 * [rounds]}, defaulting to 8 s, 64 connections, 3 rounds.
 */
public record BenchmarkRun(Duration duration, int connections, int rounds) {
  public static BenchmarkRun parse(String[] args) {
    return new BenchmarkRun(
        Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 8),
        args.length > 1 ? Integer.parseInt(args[1]) : 64,
        args.length > 2 ? Integer.parseInt(args[2]) : 3);
  }

  /** The median run by requests/s among the {@code runs} named {@code name}. */
  public static <T> T median(
      List<T> runs,
      String name,
      Function<T, String> nameOf,
      ToDoubleFunction<T> requestsPerSecond) {
    List<T> named =
        runs.stream()
            .filter(r -> nameOf.apply(r).equals(name))
            .sorted(Comparator.comparingDouble(requestsPerSecond))
            .toList();
    return named.get(named.size() / 2);
  }
}
