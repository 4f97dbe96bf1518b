package dev.tollgate.gateway.access;

import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.gateway.auth.ClientIdentity;
import dev.tollgate.gateway.pipeline.GatewayExchange;
import dev.tollgate.gateway.pipeline.RequestLog;
import dev.tollgate.gateway.ratelimit.EnforcementResult;
import dev.tollgate.gateway.route.RouteMatch;
import dev.tollgate.gateway.tracing.GatewayTracing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds each answered request's {@link AccessRecord} and offers it to the access log (sampled) and
 * the access stream (every request). On the request's thread this is the record and two queue
 * offers; formatting, writing and Redis happen on the writer threads.
 */
public final class AccessRecorder implements RequestLog, AutoCloseable {
  private static final int BATCH = 512;

  private final RecordQueue log;
  private final double sample;
  private final RecordQueue stream;

  private AccessRecorder(RecordQueue log, double sample, RecordQueue stream) {
    this.log = log;
    this.sample = sample;
    this.stream = stream;
  }

  /**
   * The recorder the settings ask for; {@link RequestLog#NONE} when both log and stream are off.
   *
   * @throws UncheckedIOException when the log file cannot be opened
   */
  public static RequestLog create(AccessLogSettings settings) {
    return create(settings, new AccessMetrics());
  }

  static RequestLog create(AccessLogSettings settings, AccessMetrics metrics) {
    RecordQueue log =
        switch (settings.log()) {
          case OFF -> null;
          case STDOUT ->
              new RecordQueue(
                  "tollgate-access-log",
                  10_000,
                  BATCH,
                  JsonLineWriter.stdout(),
                  metrics::logDropped);
          case FILE -> {
            try {
              yield new RecordQueue(
                  "tollgate-access-log",
                  10_000,
                  BATCH,
                  JsonLineWriter.file(settings.logFile().orElseThrow()),
                  metrics::logDropped);
            } catch (IOException e) {
              throw new UncheckedIOException(
                  "TOLLGATE_ACCESS_LOG_FILE: cannot append to " + settings.logFile().get(), e);
            }
          }
        };
    RecordQueue stream =
        settings.stream()
            .map(
                redis ->
                    new RecordQueue(
                        "tollgate-access-stream",
                        settings.streamQueue(),
                        BATCH,
                        new StreamBatchWriter(
                            redis.target(),
                            new AccessStreamKeys(redis.gatewayName()).stream(),
                            settings.streamMaxLength(),
                            settings.streamTimeout(),
                            metrics),
                        metrics::streamQueueFull))
            .orElse(null);
    return log == null && stream == null
        ? RequestLog.NONE
        : new AccessRecorder(log, settings.sample(), stream);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public void record(GatewayExchange exchange, int status, long bytes, long durationNanos) {
    boolean logIt =
        log != null && (sample >= 1 || ThreadLocalRandom.current().nextDouble() < sample);
    if (!logIt && stream == null) {
      return;
    }
    AccessRecord record = build(exchange, status, bytes, durationNanos);
    if (logIt) {
      log.offer(record);
    }
    if (stream != null) {
      stream.offer(record);
    }
  }

  static AccessRecord build(GatewayExchange exchange, int status, long bytes, long durationNanos) {
    Optional<RouteMatch> match = exchange.match();
    String path = match.isPresent() ? match.get().matchedPath() : exchange.target().rawPath();
    return new AccessRecord(
        exchange.arrivalMillis(),
        exchange.requestId(),
        GatewayTracing.traceId(exchange.span()),
        match.map(m -> m.route().id().toString()).orElse(""),
        exchange.method(),
        PathTemplate.of(path),
        status,
        bytes,
        durationNanos / 1000,
        exchange.upstreamEndpoint(),
        exchange.upstreamNanos() < 0 ? -1 : exchange.upstreamNanos() / 1000,
        ClientLabel.of(exchange.get(ClientIdentity.class), exchange.clientAddress()),
        limits(exchange));
  }

  private static List<AccessRecord.LimitDecision> limits(GatewayExchange exchange) {
    Optional<EnforcementResult> result = exchange.get(EnforcementResult.class);
    if (result.isEmpty()) {
      return List.of();
    }
    List<AccessRecord.LimitDecision> limits = new ArrayList<>(result.get().verdicts().size());
    for (EnforcementResult.Verdict v : result.get().verdicts()) {
      limits.add(
          new AccessRecord.LimitDecision(
              v.limit().policy(),
              v.limit().definition().id().limit(),
              v.decision().label(),
              v.remaining()));
    }
    return limits;
  }

  /** Writes what is queued (a few seconds at most) and closes the writers. */
  @Override
  public void close() {
    if (log != null) {
      log.close();
    }
    if (stream != null) {
      stream.close();
    }
  }
}
