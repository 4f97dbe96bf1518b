package dev.tollgate.gateway.support;

import dev.tollgate.testkit.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code wrk} (time-bounded) and reads requests/s, p50/p99 and non-2xx from its output. */
public final class Wrk {
  private static final Pattern REQUESTS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern PERCENTILE =
      Pattern.compile("^\\s+(50|99)%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private Wrk() {}

  /**
   * @param name label of the measured setup
   * @param requestsPerSecond throughput
   * @param p50Millis median latency
   * @param p99Millis 99th percentile latency
   * @param failures non-2xx/3xx responses plus socket errors
   */
  public record Result(
      String name, double requestsPerSecond, double p50Millis, double p99Millis, long failures) {
    /** {@code | name | requests/s | p50 | p99 | failures | ratio to baseline |}. */
    public String tableRow(Result baseline) {
      return "| %s | %.0f | %.2f | %.2f | %d | %.2fx |"
          .formatted(
              name,
              requestsPerSecond,
              p50Millis,
              p99Millis,
              failures,
              requestsPerSecond / baseline.requestsPerSecond());
    }
  }

  public static Result run(String name, String url, Duration duration, int connections) {
    return run(name, url, duration, connections, List.of());
  }

  /**
   * Like {@link #run(String, String, Duration, int)}, sending {@code header} with every request.
   */
  public static Result runWithHeader(
      String name, String url, Duration duration, int connections, String header) {
    return run(name, url, duration, connections, List.of("-H", header));
  }

  /**
   * Each connection waits {@code delayMillis} before every request, which holds the request rate
   * near {@code connections * 1000 / (delayMillis + latency)}: a partial load, measured like a full
   * one (wrk times a request from its write, so the wait is not counted as latency).
   */
  public static Result paced(
      String name, String url, Duration duration, int connections, int delayMillis) {
    return withScript(
        name,
        url,
        duration,
        connections,
        "function delay() return %d end%n".formatted(delayMillis));
  }

  /** Like {@link #run(String, String, Duration, int)}, with a wrk Lua script ({@code -s}). */
  public static Result withScript(
      String name, String url, Duration duration, int connections, String luaScript) {
    try {
      Path script = Files.createTempFile("wrk-script", ".lua");
      try {
        Files.writeString(script, luaScript);
        return run(name, url, duration, connections, List.of("-s", script.toString()));
      } finally {
        Files.delete(script);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Result run(
      String name, String url, Duration duration, int connections, List<String> extra) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s", "--latency"));
    command.addAll(extra);
    command.add(url);
    String output = ExternalCommand.run(duration.plusSeconds(60), command).orThrow().output();
    Matcher rps = REQUESTS.matcher(output);
    if (!rps.find()) {
      throw new IllegalStateException("no Requests/sec in wrk output:\n" + output);
    }
    double p50 = 0;
    double p99 = 0;
    Matcher percentile = PERCENTILE.matcher(output);
    while (percentile.find()) {
      double value = Double.parseDouble(percentile.group(2));
      double millis =
          switch (percentile.group(3)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
          };
      if (percentile.group(1).equals("50")) {
        p50 = millis;
      } else {
        p99 = millis;
      }
    }
    long failures = 0;
    Matcher non2xx = NON_2XX.matcher(output);
    if (non2xx.find()) {
      failures += Long.parseLong(non2xx.group(1));
    }
    Matcher errors = ERRORS.matcher(output);
    if (errors.find()) {
      for (int g = 1; g <= 4; g++) {
        failures += Long.parseLong(errors.group(g));
      }
    }
    return new Result(name, Double.parseDouble(rps.group(1)), p50, p99, failures);
  }
}
