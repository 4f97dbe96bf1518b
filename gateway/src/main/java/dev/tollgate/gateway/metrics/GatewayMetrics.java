package dev.tollgate.gateway.metrics;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The gateway's meters in Helidon's (Micrometer-backed) registry, exported as Prometheus text on
 * the admin socket. Names are given in Micrometer's dotted form; the Prometheus exporter turns
 * {@code tollgate.requests} into {@code tollgate_requests_total} and timers into {@code _seconds}
 * histograms. Meters are cached per label set because a registry lookup per request would cost more
 * than the increment.
 */
public final class GatewayMetrics {
  /** Route label of requests that matched no route (404, 400 before matching). */
  public static final String NO_ROUTE = "none";

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
  };

  private final MeterRegistry registry;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> requestDurations = new ConcurrentHashMap<>();
  private final Map<String, Timer> upstreamDurations = new ConcurrentHashMap<>();
  private final Map<String, Counter> reloads = new ConcurrentHashMap<>();

  public GatewayMetrics() {
    this(Metrics.globalRegistry());
  }

  GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void request(String route, int status, long durationNanos) {
    requests
        .computeIfAbsent(
            route + " " + status,
            k ->
                registry.getOrCreate(
                    Counter.builder("tollgate.requests")
                        .description("Requests handled by the gateway, by route and status code")
                        .tags(
                            List.of(Tag.create("route", route), Tag.create("code", "" + status)))))
        .increment();
    timer(requestDurations, "tollgate.request.duration", route, "Time from request to response")
        .record(durationNanos, TimeUnit.NANOSECONDS);
  }

  public void upstream(String route, long durationNanos) {
    timer(
            upstreamDurations,
            "tollgate.upstream.duration",
            route,
            "Time until the upstream's response headers arrived")
        .record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /** {@code result} is {@code success} or {@code failure}. */
  public void configReload(String result) {
    reloads
        .computeIfAbsent(
            result,
            r ->
                registry.getOrCreate(
                    Counter.builder("tollgate.config.reloads")
                        .description("Configuration loads by result")
                        .tags(List.of(Tag.create("result", r)))))
        .increment();
  }

  public void configVersion(DoubleSupplier version) {
    registry.getOrCreate(
        Gauge.builder("tollgate.config.version", version::getAsDouble)
            .description("Version of the configuration being served"));
  }

  /** Registers a 0/1 gauge (1 = circuit open); returns the meter so it can be removed. */
  public Meter circuitGauge(String route, String endpoint, DoubleSupplier open) {
    return registry.getOrCreate(
        Gauge.builder("tollgate.circuit.open", open::getAsDouble)
            .description("1 while the endpoint's circuit breaker is open (endpoint ejected)")
            .tags(List.of(Tag.create("route", route), Tag.create("endpoint", endpoint))));
  }

  public void remove(Meter meter) {
    registry.remove(meter);
  }

  private Timer timer(Map<String, Timer> cache, String name, String route, String description) {
    return cache.computeIfAbsent(
        route,
        r ->
            registry.getOrCreate(
                Timer.builder(name)
                    .description(description)
                    .buckets(BUCKETS)
                    // Buckets only: client-side percentiles cost a histogram update per
                    // request and cannot be aggregated across pods anyway.
                    .percentiles(new double[0])
                    .publishPercentileHistogram(false)
                    .tags(List.of(Tag.create("route", r)))));
  }
}
