package dev.tollgate.operator.metrics;

import dev.tollgate.operator.snapshot.WriteResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The operator's own Prometheus meters (names in docs/operator.md). JOSDK's reconciliation meters
 * come on top through its Micrometer support.
 */
public final class OperatorMetrics {
  private final MeterRegistry registry;
  private final Map<WriteResult.Outcome, Counter> writes = new EnumMap<>(WriteResult.Outcome.class);
  private final Counter writeErrors;
  private final Timer syncDuration;
  private final AtomicLong version = new AtomicLong();
  private final AtomicLong routes = new AtomicLong();
  private final AtomicLong policies = new AtomicLong();
  private final AtomicLong gatewaysLive = new AtomicLong();
  private final AtomicLong gatewaysCurrent = new AtomicLong();
  private final AtomicLong listenerCertificates = new AtomicLong();
  private final AtomicLong listenerCertificateBytes = new AtomicLong();
  private final Counter bundleWrites;
  private final Counter bundleMountRefreshes;
  private final Counter bundleMountRefreshFailures;

  /**
   * @param leading whether this replica currently holds the lease
   */
  public OperatorMetrics(MeterRegistry registry, BooleanSupplier leading) {
    this.registry = registry;
    for (WriteResult.Outcome outcome : WriteResult.Outcome.values()) {
      writes.put(
          outcome,
          Counter.builder("tollgate.operator.snapshot.writes")
              .description("Snapshot sync attempts by result (written = a new version)")
              .tag("result", outcome.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    writeErrors =
        counter(
            "tollgate.operator.snapshot.write.errors",
            "Snapshot syncs that failed (Redis unreachable, timeout)");
    syncDuration =
        Timer.builder("tollgate.operator.snapshot.sync.duration")
            .description("Compile + compare + write of one snapshot")
            .register(registry);
    gauge("tollgate.operator.snapshot.version", "Config version in Redis", version);
    gauge("tollgate.operator.snapshot.routes", "Routes in the last compiled snapshot", routes);
    gauge(
        "tollgate.operator.snapshot.policies", "Policies in the last compiled snapshot", policies);
    gauge("tollgate.operator.gateways.live", "Gateway pods with a live feedback key", gatewaysLive);
    gauge(
        "tollgate.operator.gateways.current",
        "Live gateway pods serving the newest config version",
        gatewaysCurrent);
    gauge(
        "tollgate.operator.listener.certificates",
        "Certificates of HTTPS listeners in the bundle Secret",
        listenerCertificates);
    gauge(
        "tollgate.operator.listener.certificate.bundle.bytes",
        "Bytes of certificates, keys and key names in the bundle Secret (bound: 900 KiB)",
        listenerCertificateBytes);
    bundleWrites =
        counter(
            "tollgate.operator.listener.certificate.bundle.writes",
            "Writes of the listener certificate bundle Secret (only on change)");
    bundleMountRefreshes =
        counter(
            "tollgate.operator.listener.certificate.mount.refreshes",
            "Gateway pods annotated so that their kubelets remount a new bundle at once");
    bundleMountRefreshFailures =
        counter(
            "tollgate.operator.listener.certificate.mount.refresh.failures",
            "Gateway pods not listed or not annotated after a bundle write (their kubelets"
                + " deliver it at their periodic sync)");
    // The Supplier form holds its function strongly; Gauge.builder(name, object, fn) keeps only a
    // weak reference, and a method reference nobody else holds would be collected (NaN).
    Gauge.builder("tollgate.operator.leader", () -> leading.getAsBoolean() ? 1 : 0)
        .description("1 while this replica holds the lease and writes snapshots")
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
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

  public void gateways(int live, int current) {
    gatewaysLive.set(live);
    gatewaysCurrent.set(current);
  }

  /** What the last pass put into the listener certificate bundle. */
  public void listenerCertificates(int certificates, long bytes) {
    listenerCertificates.set(certificates);
    listenerCertificateBytes.set(bytes);
  }

  public void listenerCertificateBundleWritten() {
    bundleWrites.increment();
  }

  public void bundleMountRefreshed() {
    bundleMountRefreshes.increment();
  }

  public void bundleMountRefreshFailed() {
    bundleMountRefreshFailures.increment();
  }

  public Counter reconciliations(String kind, String accepted) {
    return Counter.builder("tollgate.operator.reconciliations")
        .description("Reconciliations by kind and resulting Accepted status")
        .tag("kind", kind)
        .tag("accepted", accepted)
        .register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private void gauge(String name, String description, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::doubleValue).description(description).register(registry);
  }
}
