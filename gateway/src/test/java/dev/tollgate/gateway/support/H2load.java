package dev.tollgate.gateway.support;

import dev.tollgate.testkit.ExternalCommand;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code h2load} (nghttp2's HTTP/2 load generator; h2c with prior knowledge on {@code
 * http://}, h2 by ALPN on {@code https://}) for a fixed time and reads requests/s, the mean request
 * time and failures from its output. h2load reports no percentiles.
 */
public final class H2load {
  private static final Pattern FINISHED = Pattern.compile("finished in [0-9.]+s, ([0-9.]+) req/s");
  private static final Pattern REQUESTS =
      Pattern.compile(
          "requests: \\d+ total, \\d+ started, \\d+ done, \\d+ succeeded, (\\d+) failed, (\\d+)"
              + " errored, (\\d+) timeout");
  private static final Pattern REQUEST_TIME =
      Pattern.compile("time for request:\\s+\\S+\\s+\\S+\\s+([0-9.]+)(us|ms|s)");

  private H2load() {}

  /**
   * @param name label of the measured setup
   * @param requestsPerSecond throughput
   * @param meanMillis mean time per request
   * @param failures failed, errored and timed-out requests
   */
  public record Result(String name, double requestsPerSecond, double meanMillis, long failures) {
    /** {@code | name | requests/s | mean ms | failures | ratio to baseline |}. */
    public String tableRow(Result baseline) {
      return "| %s | %.0f | %.2f | %d | %.2fx |"
          .formatted(
              name,
              requestsPerSecond,
              meanMillis,
              failures,
              requestsPerSecond / baseline.requestsPerSecond());
    }
  }

  /**
   * @param connections client connections
   * @param streams concurrent streams per connection
   */
  public static Result run(
      String name, String url, Duration duration, int connections, int streams) {
    List<String> command =
        List.of(
            "h2load",
            "-t",
            "2",
            "-c",
            String.valueOf(connections),
            "-m",
            String.valueOf(streams),
            "-D",
            String.valueOf(duration.toSeconds()),
            url);
    String output = ExternalCommand.run(duration.plusSeconds(60), command).orThrow().output();
    Matcher finished = find(FINISHED, output);
    Matcher requests = find(REQUESTS, output);
    Matcher time = find(REQUEST_TIME, output);
    double mean = Double.parseDouble(time.group(1));
    double meanMillis =
        switch (time.group(2)) {
          case "us" -> mean / 1000;
          case "s" -> mean * 1000;
          default -> mean;
        };
    long failures =
        Long.parseLong(requests.group(1))
            + Long.parseLong(requests.group(2))
            + Long.parseLong(requests.group(3));
    return new Result(name, Double.parseDouble(finished.group(1)), meanMillis, failures);
  }

  private static Matcher find(Pattern pattern, String output) {
    Matcher matcher = pattern.matcher(output);
    if (!matcher.find()) {
      throw new IllegalStateException("h2load printed no '" + pattern + "':\n" + output);
    }
    return matcher;
  }
}
