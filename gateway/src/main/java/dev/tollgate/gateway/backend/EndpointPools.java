package dev.tollgate.gateway.backend;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.metrics.api.Meter;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps endpoint pools alive across reloads: a reload that leaves a route's backend unchanged gets
 * the same pool back, so circuit breakers, in-flight counts and round-robin position survive. A
 * compile {@link #obtain obtains} pools; only when the new configuration is applied does {@link
 * #retainOnly} drop the pools that are no longer used (and their {@code tollgate_circuit_open}
 * gauges) and tells {@link UpstreamConnections} which endpoints remain, so that the keep-alive
 * connections of the others are closed. Pools obtained by a compile that was refused are simply
 * garbage.
 */
public final class EndpointPools {
  private final GatewayMetrics metrics;
  private final Consumer<Set<URI>> endpointsInUse;
  private final Map<PoolKey, EndpointPool> live = new HashMap<>();
  private final Map<EndpointPool, List<Meter>> gauges = new IdentityHashMap<>();

  /**
   * @param endpointsInUse told the endpoints of every applied configuration (the upstream
   *     connection pool's {@link UpstreamConnections#retainOnly})
   */
  public EndpointPools(GatewayMetrics metrics, Consumer<Set<URI>> endpointsInUse) {
    this.metrics = metrics;
    this.endpointsInUse = endpointsInUse;
  }

  /**
   * @param route route label ({@code namespace/name})
   * @param endpoints {@code scheme://host:port} URIs
   * @param balancer {@code round-robin}, {@code least-request} or {@code random}
   */
  public synchronized EndpointPool obtain(
      String route, List<URI> endpoints, String balancer, BreakerSettings breaker) {
    PoolKey key = new PoolKey(route, List.copyOf(endpoints), balancer, breaker);
    EndpointPool existing = live.get(key);
    if (existing != null) {
      return existing;
    }
    List<Endpoint> created = new ArrayList<>(endpoints.size());
    for (URI uri : endpoints) {
      created.add(new Endpoint(uri, breaker(route, uri, breaker)));
    }
    return new EndpointPool(key, created, LoadBalancer.named(balancer));
  }

  /** Makes exactly {@code inUse} the live pools; call after a configuration was applied. */
  public synchronized void retainOnly(List<EndpointPool> inUse) {
    Map<PoolKey, EndpointPool> next = new HashMap<>();
    for (EndpointPool pool : inUse) {
      next.put(pool.key(), pool);
      gauges.computeIfAbsent(pool, p -> register(p));
    }
    for (EndpointPool old : live.values()) {
      if (!next.containsKey(old.key()) || next.get(old.key()) != old) {
        gauges.remove(old).forEach(metrics::remove);
      }
    }
    live.clear();
    live.putAll(next);
    Set<URI> endpoints = new HashSet<>();
    for (EndpointPool pool : inUse) {
      endpoints.addAll(pool.key().endpoints());
    }
    endpointsInUse.accept(endpoints);
  }

  private List<Meter> register(EndpointPool pool) {
    List<Meter> meters = new ArrayList<>();
    for (Endpoint endpoint : pool.endpoints()) {
      meters.add(
          metrics.circuitGauge(
              pool.key().route(), endpoint.uri().toString(), () -> endpoint.isEjected() ? 1 : 0));
    }
    return meters;
  }

  private static CircuitBreaker breaker(String route, URI uri, BreakerSettings settings) {
    return CircuitBreaker.builder()
        .name(route + " " + uri)
        .errorRatio(settings.failureRatio())
        .volume(settings.volume())
        .delay(settings.delay())
        .successThreshold(1)
        .skipOn(Set.of(RequestFault.class))
        .build();
  }
}
