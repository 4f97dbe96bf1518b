package dev.tollgate.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The operator's own Prometheus meters (names in docs/operator.md), except the snapshot sync's:
 * those count the snapshot writer's results and live beside them ({@code SnapshotSyncMetrics}), as
 * this package sits below every package that reports to it. JOSDK's reconciliation meters come on
 * top through its Micrometer support.
 */
public final class OperatorMetrics {
  private final MeterRegistry registry;
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

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).register(registry);
  }

  private void gauge(String name, String description, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::doubleValue).description(description).register(registry);
  }
}
