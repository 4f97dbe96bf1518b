package dev.tollgate.gateway.access;

import dev.tollgate.api.common.Settings;
import dev.tollgate.redis.RedisSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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

  /** Whether the stream is written ({@code TOLLGATE_ACCESS_STREAM}). */
  private enum Stream {
    OFF,
    ON
  }

  /**
   * @param settings the gateway's settings ({@code TOLLGATE_ACCESS_*})
   * @param redis the gateway's Redis ({@code TOLLGATE_REDIS_URL}), where the stream goes
   * @throws IllegalArgumentException naming the variable and the rule
   */
  public static AccessLogSettings from(Settings settings, Optional<RedisSettings> redis) {
    Output log = settings.choice("TOLLGATE_ACCESS_LOG", Output.class);
    Optional<Path> file = settings.optional("TOLLGATE_ACCESS_LOG_FILE").map(Path::of);
    if (log == Output.FILE && file.isEmpty()) {
      throw new IllegalArgumentException(
          "TOLLGATE_ACCESS_LOG_FILE must name the file when TOLLGATE_ACCESS_LOG is file");
    }
    boolean stream = settings.choice("TOLLGATE_ACCESS_STREAM", Stream.class) == Stream.ON;
    if (stream && redis.isEmpty()) {
      throw new IllegalArgumentException(
          "TOLLGATE_ACCESS_STREAM=on needs TOLLGATE_REDIS_URL (the stream lives in Redis)");
    }
    return new AccessLogSettings(
        log,
        file,
        settings.decimal("TOLLGATE_ACCESS_LOG_SAMPLE", 0, 1),
        stream ? redis : Optional.empty(),
        settings.number("TOLLGATE_ACCESS_STREAM_MAXLEN", 1000, Integer.MAX_VALUE),
        settings.integer("TOLLGATE_ACCESS_STREAM_QUEUE", 1, Integer.MAX_VALUE),
        settings.duration("TOLLGATE_ACCESS_STREAM_TIMEOUT"));
  }
}
