package dev.tollgate.operator.snapshot;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The snapshot sync's Prometheus meters (names in docs/operator.md). Here, beside the {@link
 * WriteResult} whose outcomes they count, rather than in {@link
 * dev.tollgate.operator.metrics.OperatorMetrics}: the metrics package sits below every package that
 * reports to it, so it must not know this one's types.
 */
public final class SnapshotSyncMetrics {
  private final Map<WriteResult.Outcome, Counter> writes = new EnumMap<>(WriteResult.Outcome.class);
  private final Counter writeErrors;
  private final Timer syncDuration;
  private final AtomicLong version = new AtomicLong();
  private final AtomicLong routes = new AtomicLong();
  private final AtomicLong policies = new AtomicLong();

  public SnapshotSyncMetrics(MeterRegistry registry) {
    for (WriteResult.Outcome outcome : WriteResult.Outcome.values()) {
      writes.put(
          outcome,
          Counter.builder("tollgate.operator.snapshot.writes")
              .description("Snapshot sync attempts by result (written = a new version)")
              .tag("result", outcome.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    writeErrors =
        Counter.builder("tollgate.operator.snapshot.write.errors")
            .description("Snapshot syncs that failed (Redis unreachable, timeout)")
            .register(registry);
    syncDuration =
        Timer.builder("tollgate.operator.snapshot.sync.duration")
            .description("Compile + compare + write of one snapshot")
            .register(registry);
    gauge(registry, "tollgate.operator.snapshot.version", "Config version in Redis", version);
    gauge(
        registry,
        "tollgate.operator.snapshot.routes",
        "Routes in the last compiled snapshot",
        routes);
    gauge(
        registry,
        "tollgate.operator.snapshot.policies",
        "Policies in the last compiled snapshot",
        policies);
  }

  public void synced(WriteResult result, int routeCount, int policyCount, Duration took) {
    writes.get(result.outcome()).increment();
    syncDuration.record(took);
    if (result.stored()) {
      version.set(result.version());
      routes.set(routeCount);
      policies.set(policyCount);
    }
  }

  public void syncFailed() {
    writeErrors.increment();
  }

  private static void gauge(
      MeterRegistry registry, String name, String description, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::doubleValue).description(description).register(registry);
  }
}
