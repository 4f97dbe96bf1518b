package dev.tollgate.gateway.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The endpoints of one route and how to choose among them. Ejected endpoints (circuit open) are
 * skipped; endpoints that already failed this request are avoided while others remain.
 */
public final class EndpointPool {
  private final PoolKey key;
  private final List<Endpoint> endpoints;
  private final LoadBalancer balancer;

  EndpointPool(PoolKey key, List<Endpoint> endpoints, LoadBalancer balancer) {
    this.key = key;
    this.endpoints = List.copyOf(endpoints);
    this.balancer = balancer;
  }

  /** Identity of the backend this pool serves (see {@link EndpointPools}). */
  PoolKey key() {
    return key;
  }

  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** Empty when every endpoint is ejected or the route has none (the caller answers 503). */
  public Optional<Endpoint> choose(Set<Endpoint> alreadyFailed) {
    List<Endpoint> healthy = new ArrayList<>(endpoints.size());
    List<Endpoint> fresh = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints) {
      if (!endpoint.isEjected()) {
        healthy.add(endpoint);
        if (!alreadyFailed.contains(endpoint)) {
          fresh.add(endpoint);
        }
      }
    }
    if (healthy.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(balancer.choose(fresh.isEmpty() ? healthy : fresh));
  }
}
