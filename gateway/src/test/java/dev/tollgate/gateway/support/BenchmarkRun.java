package dev.tollgate.gateway.support;

import java.time.Duration;

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
}
