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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.DoubleSupplier;

/**
 * The gateway's meters in Helidon's (Micrometer-backed) registry, exported as Prometheus text on
 * the admin socket. Names are given in Micrometer's dotted form; the Prometheus exporter turns
 * {@code tollgate.requests} into {@code tollgate_requests_total} and timers into {@code _seconds}
 * histograms. Meters are cached per route because a registry lookup per request would cost more
 * than the increment; those of a route the configuration no longer has are removed when it is
 * applied ({@link #retainRoutes}).
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

  /**
   * By route label. Keyed by the label, not by the route's id, so that this package, which every
   * other reports into, depends on none of them; the id builds its label once.
   */
  private final Map<String, RouteMeters> routes = new ConcurrentHashMap<>();

  /** The meters tagged {@code route} that this class creates and {@link #retainRoutes} removes. */
  private static final Set<String> ROUTE_METERS =
      Set.of(
          "tollgate.requests",
          "tollgate.request.duration",
          "tollgate.upstream.duration",
          "tollgate.grpc.calls");

  private static final String CERTIFICATE_EXPIRY = "tollgate.tls.certificate.expiry";

  private final Map<String, Counter> reloads = new ConcurrentHashMap<>();

  public GatewayMetrics() {
    this(Metrics.globalRegistry());
  }

  GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param route the matched route's label ({@code namespace/name}), or null before a route matched
   */
  public void request(String route, int status, long durationNanos) {
    RouteMeters meters = meters(route == null ? NO_ROUTE : route);
    meters.requests(status).increment();
    meters.requestDuration.record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * @param route the route's label ({@code namespace/name})
   */
  public void upstream(String route, long durationNanos) {
    meters(route).upstreamDuration().record(durationNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Removes the meters of every route that {@code served} (route labels) does not have: their
   * requests, durations and gRPC calls. Call once a configuration was applied; the meters of the
   * routes it has are kept, and keep counting, and a route that comes back later starts from zero.
   * Found by their tag rather than from the cache, so that a request still in flight on the
   * previous configuration, which may count a removed route again, leaves nothing behind for longer
   * than the next configuration. ({@code tollgate_circuit_open} goes with its endpoint pool.)
   */
  public void retainRoutes(Set<String> served) {
    routes.keySet().removeIf(route -> retired(route, served));
    List.copyOf(
            registry.meters(
                meter ->
                    ROUTE_METERS.contains(meter.id().name())
                        && retired(meter.id().tagsMap().get("route"), served)))
        .forEach(registry::remove);
  }

  private static boolean retired(String route, Set<String> served) {
    return route != null && !route.equals(NO_ROUTE) && !served.contains(route);
  }

  /**
   * Created outside the map's lock, not in {@code computeIfAbsent}: creating meters waits for the
   * registry's lock, and on Java 21 a virtual thread that waits while holding a monitor (the map's
   * bin) pins its carrier; two such waits at a route's first burst stalled every request of the
   * gateway. On a race both create; the registry answers the same meters to both.
   */
  private RouteMeters meters(String route) {
    RouteMeters meters = routes.get(route);
    if (meters == null) {
      RouteMeters created = new RouteMeters(route);
      meters = routes.putIfAbsent(route, created);
      return meters == null ? created : meters;
    }
    return meters;
  }

  /**
   * The meters of one route label, looked up once: per request only an array slot is read, where a
   * registry lookup (and building the {@code namespace/name} and {@code route status} strings)
   * would cost more than the increment.
   */
  private final class RouteMeters {
    private final String label;
    private final Timer requestDuration;
    private final AtomicReferenceArray<Counter> byStatus = new AtomicReferenceArray<>(1000);
    private volatile Timer upstreamDuration;

    RouteMeters(String label) {
      this.label = label;
      this.requestDuration =
          timer("tollgate.request.duration", label, "Time from request to response");
    }

    Counter requests(int status) {
      if (status < 0 || status >= byStatus.length()) {
        return requestCounter(label, status);
      }
      Counter counter = byStatus.get(status);
      if (counter == null) {
        counter = requestCounter(label, status);
        byStatus.set(status, counter); // the registry returns the same meter on a race
      }
      return counter;
    }

    Timer upstreamDuration() {
      Timer timer = upstreamDuration;
      if (timer == null) {
        timer =
            timer(
                "tollgate.upstream.duration",
                label,
                "Time until the upstream's response headers arrived");
        upstreamDuration = timer;
      }
      return timer;
    }
  }

  private Counter requestCounter(String route, int status) {
    return registry.getOrCreate(
        Counter.builder("tollgate.requests")
            .description("Requests handled by the gateway, by route and status code")
            .tags(List.of(Tag.create("route", route), Tag.create("code", String.valueOf(status)))));
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

  /**
   * How many resources of {@code kind} ({@code Route}, {@code RateLimitPolicy}) the configuration
   * being served left out because they cannot be served.
   */
  public void rejectedResources(String kind, DoubleSupplier count) {
    replaceGauge(
        "tollgate.config.rejected.resources",
        List.of(Tag.create("kind", kind)),
        count,
        "Resources left out of the configuration being served, by kind");
  }

  /**
   * One gateway per process in production; tests start several in one JVM against the global
   * registry, where the newest gateway's value is the one to show.
   */
  private void replaceGauge(String name, List<Tag> tags, DoubleSupplier value, String description) {
    registry.remove(name, tags);
    registry.getOrCreate(
        Gauge.builder(name, value::getAsDouble).description(description).tags(tags));
  }

  /** Registers a 0/1 gauge (1 = circuit open); returns the meter so it can be removed. */
  public Meter circuitGauge(String route, String endpoint, DoubleSupplier open) {
    return registry.getOrCreate(
        Gauge.builder("tollgate.circuit.open", open::getAsDouble)
            .description("1 while the endpoint's circuit breaker is open (endpoint ejected)")
            .tags(List.of(Tag.create("route", route), Tag.create("endpoint", endpoint))));
  }

  /** A gRPC call the gateway relayed ended with {@code grpcStatus} (e.g. {@code OK}). */
  public void grpcCall(String route, String grpcStatus) {
    registry
        .getOrCreate(
            Counter.builder("tollgate.grpc.calls")
                .description("gRPC calls relayed to upstreams, by route and final grpc-status")
                .tags(List.of(Tag.create("route", route), Tag.create("grpc_status", grpcStatus))))
        .increment();
  }

  /** A client ran out of time; {@code phase} is {@code header} or {@code body}. */
  public void clientTimeout(String phase) {
    counter("tollgate.client.timeouts", "phase", phase, "Requests cut off by a client deadline")
        .increment();
  }

  /** A client was answered 503 {@code overloaded}; {@code limit} is what was full. */
  public void overloaded(String limit) {
    counter(
            "tollgate.overload.refusals",
            "limit",
            limit,
            "Clients answered 503 because a connection or request cap was reached")
        .increment();
  }

  /** Client connections open on the public port, counted against the connection cap. */
  public void clientConnections(DoubleSupplier open) {
    registry.getOrCreate(
        Gauge.builder("tollgate.client.connections", open::getAsDouble)
            .description("Client connections open on the public port"));
  }

  /**
   * Requests being handled, counted against the in-flight cap; on HTTP/2 every open stream is one.
   */
  public void requestsInFlight(DoubleSupplier count) {
    registry.getOrCreate(
        Gauge.builder("tollgate.requests.in.flight", count::getAsDouble)
            .description(
                "Requests being handled, counted against TOLLGATE_MAX_REQUESTS_IN_FLIGHT"));
  }

  /** WebSockets open (handshakes being forwarded included), counted against their cap. */
  public void webSocketConnections(DoubleSupplier open) {
    String name = "tollgate.websocket.connections";
    // as for rejectedResources: the newest gateway in a JVM is the one shown
    registry.remove(name, List.of());
    registry.getOrCreate(
        Gauge.builder(name, open::getAsDouble).description("WebSockets open through the gateway"));
  }

  /** A WebSocket handshake was answered with {@code status} (101 when it was proxied). */
  public void webSocketUpgrade(int status) {
    counter(
            "tollgate.websocket.upgrades",
            "code",
            Integer.toString(status),
            "WebSocket handshakes by the status they were answered with")
        .increment();
  }

  /** A WebSocket ended; {@code reason} is the side that ended it or the gateway's limit. */
  public void webSocketClosed(String reason) {
    counter("tollgate.websocket.closes", "reason", reason, "WebSockets ended, by why").increment();
  }

  /** Bytes relayed over WebSockets in {@code direction}. */
  public Counter webSocketBytes(String direction) {
    return counter(
        "tollgate.websocket.bytes",
        "direction",
        direction,
        "Bytes relayed over WebSockets after their handshakes");
  }

  /** Gateways of this instance last counted live in Redis (0 = not known, e.g. standalone). */
  public void liveGateways(DoubleSupplier count) {
    registry.getOrCreate(
        Gauge.builder("tollgate.gateways.live", count::getAsDouble)
            .description(
                "Gateways of this instance last counted live in Redis; failureMode: local divides"
                    + " by it"));
  }

  /**
   * A changed certificate pair was read from {@code certificate} (its directory); {@code result} is
   * {@code success} or {@code failure} (the pair was refused and the previous one stays served).
   */
  public void certificateReload(String certificate, String result) {
    registry
        .getOrCreate(
            Counter.builder("tollgate.tls.certificate.reloads")
                .description("Certificate pairs read after a change on disk, by result")
                .tags(
                    List.of(Tag.create("certificate", certificate), Tag.create("result", result))))
        .increment();
  }

  /** Seconds since the epoch at which the served certificate of {@code certificate} expires. */
  public void certificateExpiry(String certificate, DoubleSupplier notAfterEpochSeconds) {
    String description = "Expiry (notAfter, seconds since the epoch) of the served certificate";
    List<Tag> tags = List.of(Tag.create("certificate", certificate));
    replaceGauge(CERTIFICATE_EXPIRY, tags, notAfterEpochSeconds, description);
  }

  /** The certificate pair {@code certificate} is gone: its expiry is no longer reported. */
  public void certificateRetired(String certificate) {
    registry.remove(CERTIFICATE_EXPIRY, List.of(Tag.create("certificate", certificate)));
  }

  /** A TLS handshake failed because the HTTPS listener had no certificate at all. */
  public void handshakeWithoutCertificate() {
    registry
        .getOrCreate(
            Counter.builder("tollgate.tls.handshakes.without.certificate")
                .description(
                    "TLS handshakes failed because no certificate was served (bundle not written"
                        + " yet)"))
        .increment();
  }

  /** A client connection on the HTTPS port was closed because its handshake took too long. */
  public void handshakeTimeout() {
    registry
        .getOrCreate(
            Counter.builder("tollgate.tls.handshake.timeouts")
                .description("HTTPS connections closed before their TLS handshake finished"))
        .increment();
  }

  private Counter counter(String name, String tag, String value, String description) {
    return registry.getOrCreate(
        Counter.builder(name).description(description).tags(List.of(Tag.create(tag, value))));
  }

  public void remove(Meter meter) {
    registry.remove(meter);
  }

  private Timer timer(String name, String route, String description) {
    return registry.getOrCreate(
        Timer.builder(name)
            .description(description)
            .buckets(BUCKETS)
            // Buckets only: client-side percentiles cost a histogram update per
            // request and cannot be aggregated across pods anyway.
            .percentiles(new double[0])
            .publishPercentileHistogram(false)
            .tags(List.of(Tag.create("route", route))));
  }
}
