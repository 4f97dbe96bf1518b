package dev.tollgate.gateway.access;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import java.util.List;

/**
 * {@code tollgate_analytics_written_total}, {@code tollgate_analytics_dropped_total{reason}} (the
 * access stream) and {@code tollgate_access_log_dropped_total} (the log), in Helidon's registry
 * like the gateway's other meters. Records sent + dropped = requests recorded.
 */
final class AccessMetrics {
  static final String QUEUE_FULL = "queue_full";
  static final String UNAVAILABLE = "redis_unavailable";
  static final String TIMEOUT = "timeout";

  private final Counter written;
  private final Counter queueFull;
  private final Counter unavailable;
  private final Counter timeout;
  private final Counter logDropped;

  AccessMetrics() {
    this(Metrics.globalRegistry());
  }

  AccessMetrics(MeterRegistry registry) {
    written =
        registry.getOrCreate(
            Counter.builder("tollgate.analytics.written")
                .description("Access records appended to the access stream"));
    queueFull = dropped(registry, QUEUE_FULL);
    unavailable = dropped(registry, UNAVAILABLE);
    timeout = dropped(registry, TIMEOUT);
    logDropped =
        registry.getOrCreate(
            Counter.builder("tollgate.access.log.dropped")
                .description("Access log lines dropped because the log writer fell behind"));
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return registry.getOrCreate(
        Counter.builder("tollgate.analytics.dropped")
            .description(
                "Access records not appended to the stream: queue_full (Redis too slow),"
                    + " redis_unavailable, timeout (no answer in time; may have been written)")
            .tags(List.of(Tag.create("reason", reason))));
  }

  void streamWritten(int count) {
    if (count > 0) {
      written.increment(count);
    }
  }

  void streamDropped(String reason, int count) {
    if (count > 0) {
      (switch (reason) {
            case QUEUE_FULL -> queueFull;
            case UNAVAILABLE -> unavailable;
            default -> timeout;
          })
          .increment(count);
    }
  }

  void streamQueueFull() {
    queueFull.increment();
  }

  void logDropped() {
    logDropped.increment();
  }
}
