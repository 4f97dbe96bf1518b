package dev.tollgate.analytics.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The analytics service's Prometheus meters (listed in docs/observability.md). The only label is
 * {@code route} on the surge meters, and routes come from the gateways' configuration, never from
 * clients: no meter grows with traffic. A route's surge meters go when it has had no traffic over
 * the surge check's whole span ({@link #keepSurgeMeters}), so deleted routes do not stay for good.
 */
public final class AnalyticsMetrics {
  private static final String SURGES = "tollgate.analytics.surges";
  private static final String SURGE_ACTIVE = "tollgate.analytics.surge.active";
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter records;
  private final Counter malformed;
  private final Counter claimed;
  private final Counter yielded;
  private final Counter failures;
  private final Timer batches;
  private final AtomicLong lag = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong streamLength = new AtomicLong();
  private final AtomicLong redisUp = new AtomicLong();
  private final Map<String, AtomicLong> surgeActive = new ConcurrentHashMap<>();

  public AnalyticsMetrics() {
    records =
        Counter.builder("tollgate.analytics.records")
            .description("Access records applied to the minute buckets (each exactly once)")
            .register(registry);
    malformed =
        Counter.builder("tollgate.analytics.malformed")
            .description("Stream entries that could not be read (acknowledged, not counted)")
            .register(registry);
    claimed =
        Counter.builder("tollgate.analytics.claimed")
            .description("Entries taken over from consumers idle longer than the claim time")
            .register(registry);
    yielded =
        Counter.builder("tollgate.analytics.yielded")
            .description("Entries another consumer claimed before this one applied them")
            .register(registry);
    failures =
        Counter.builder("tollgate.analytics.batch.failures")
            .description("Batches that failed (Redis error or timeout); their entries stay pending")
            .register(registry);
    batches =
        Timer.builder("tollgate.analytics.batch.duration")
            .description("Time to aggregate and apply one batch")
            .register(registry);
    gauge("tollgate.analytics.lag", "Stream entries not yet delivered to the group", lag);
    gauge("tollgate.analytics.pending", "Entries delivered but not yet applied", pending);
    gauge("tollgate.analytics.stream.length", "Entries in the access stream", streamLength);
    gauge("tollgate.analytics.redis.up", "1 while Redis answers, else 0", redisUp);
  }

  private void gauge(String name, String description, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::doubleValue).description(description).register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void applied(int count, Duration took) {
    records.increment(count);
    batches.record(took);
  }

  public void malformed(int count) {
    malformed.increment(count);
  }

  public void claimed(int count) {
    claimed.increment(count);
  }

  public void yielded(int count) {
    yielded.increment(count);
  }

  public void batchFailed() {
    failures.increment();
  }

  public void stream(long length, long lag, long pending) {
    this.streamLength.set(length);
    this.lag.set(lag);
    this.pending.set(pending);
  }

  public void redisUp(boolean up) {
    redisUp.set(up ? 1 : 0);
  }

  /** Counts a surge that started (on the replica that recorded it) and marks it active. */
  public void surgeStarted(String route) {
    Counter.builder(SURGES)
        .description("Surges detected, by route")
        .tag("route", route)
        .register(registry)
        .increment();
  }

  /** 1 while a surge of the route is ongoing (every replica reports the shared state). */
  public void surgeActive(String route, boolean active) {
    surgeActive
        .computeIfAbsent(
            route,
            r -> {
              AtomicLong value = new AtomicLong();
              Gauge.builder(SURGE_ACTIVE, value, AtomicLong::doubleValue)
                  .description("1 while the route's traffic is in a surge")
                  .tag("route", r)
                  .register(registry);
              return value;
            })
        .set(active ? 1 : 0);
  }

  /** Removes the surge meters of every route not in {@code routes}. */
  public void keepSurgeMeters(Set<String> routes) {
    surgeActive.keySet().retainAll(routes);
    for (Meter meter : registry.getMeters()) {
      String name = meter.getId().getName();
      if ((name.equals(SURGES) || name.equals(SURGE_ACTIVE))
          && !routes.contains(meter.getId().getTag("route"))) {
        registry.remove(meter);
      }
    }
  }
}
