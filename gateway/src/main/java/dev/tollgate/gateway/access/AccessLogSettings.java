package dev.tollgate.gateway.access;

import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.redis.RedisSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The access log and stream settings ({@code TOLLGATE_ACCESS_*}, documented in
 * docs/observability.md).
 *
 * @param log where access log lines go
 * @param logFile the file for {@link Output#FILE}
 * @param sample the share of requests logged (0 < sample ≤ 1); the stream always gets every one
 * @param stream the Redis and instance {@code <gw>} of the access stream; empty = no stream
 * @param streamMaxLength {@code XADD ... MAXLEN ~} this
 * @param streamQueue records waiting for Redis at most; more are dropped and counted
 * @param streamTimeout how long a batch waits for Redis' answers
 */
public record AccessLogSettings(
    Output log,
    Optional<Path> logFile,
    double sample,
    Optional<RedisSettings> stream,
    long streamMaxLength,
    int streamQueue,
    Duration streamTimeout) {

  /** {@code TOLLGATE_ACCESS_LOG}. */
  public enum Output {
    OFF,
    STDOUT,
    FILE
  }

  /**
   * @param settings a setting by variable name, null when unset
   * @param redis the gateway's Redis ({@code TOLLGATE_REDIS_URL}), where the stream goes
   * @throws IllegalArgumentException naming the variable and the rule
   */
  public static AccessLogSettings from(
      Function<String, String> settings, Optional<RedisSettings> redis) {
    Function<String, Optional<String>> get =
        name ->
            Optional.ofNullable(settings.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
    Output log =
        switch (get.apply("TOLLGATE_ACCESS_LOG").orElse("off").toLowerCase(Locale.ROOT)) {
          case "off" -> Output.OFF;
          case "stdout" -> Output.STDOUT;
          case "file" -> Output.FILE;
          default ->
              throw new IllegalArgumentException(
                  "TOLLGATE_ACCESS_LOG must be off, stdout or file, was '"
                      + settings.apply("TOLLGATE_ACCESS_LOG")
                      + "'");
        };
    Optional<Path> file = get.apply("TOLLGATE_ACCESS_LOG_FILE").map(Path::of);
    if (log == Output.FILE && file.isEmpty()) {
      throw new IllegalArgumentException(
          "TOLLGATE_ACCESS_LOG_FILE must name the file when TOLLGATE_ACCESS_LOG is file");
    }
    double sample = fraction(get.apply("TOLLGATE_ACCESS_LOG_SAMPLE").orElse("1"));
    boolean stream =
        switch (get.apply("TOLLGATE_ACCESS_STREAM").orElse("off").toLowerCase(Locale.ROOT)) {
          case "off" -> false;
          case "on" -> true;
          default ->
              throw new IllegalArgumentException(
                  "TOLLGATE_ACCESS_STREAM must be on or off, was '"
                      + settings.apply("TOLLGATE_ACCESS_STREAM")
                      + "'");
        };
    if (stream && redis.isEmpty()) {
      throw new IllegalArgumentException(
          "TOLLGATE_ACCESS_STREAM=on needs TOLLGATE_REDIS_URL (the stream lives in Redis)");
    }
    return new AccessLogSettings(
        log,
        file,
        sample,
        stream ? redis : Optional.empty(),
        number(get, "TOLLGATE_ACCESS_STREAM_MAXLEN", "100000", 1000),
        (int) number(get, "TOLLGATE_ACCESS_STREAM_QUEUE", "10000", 1),
        duration(get.apply("TOLLGATE_ACCESS_STREAM_TIMEOUT").orElse("5s")));
  }

  private static double fraction(String value) {
    try {
      double sample = Double.parseDouble(value);
      if (sample > 0 && sample <= 1) {
        return sample;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "TOLLGATE_ACCESS_LOG_SAMPLE must be a number above 0 and at most 1, was '" + value + "'");
  }

  private static long number(
      Function<String, Optional<String>> get, String name, String fallback, long min) {
    String value = get.apply(name).orElse(fallback);
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= Integer.MAX_VALUE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + " must be a whole number of at least " + min + ", was '" + value + "'");
  }

  private static Duration duration(String value) {
    try {
      return DurationStrings.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TOLLGATE_ACCESS_STREAM_TIMEOUT: " + e.getMessage(), e);
    }
  }
}
