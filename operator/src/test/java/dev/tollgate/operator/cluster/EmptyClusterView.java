package dev.tollgate.operator.cluster;

import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;

/** A cluster that holds nothing: test fakes override only what their test puts in it. */
public interface EmptyClusterView extends ClusterView {
  @Override
  default List<Route> routes() {
    return List.of();
  }

  @Override
  default List<RateLimitPolicy> policies() {
    return List.of();
  }

  @Override
  default Optional<Route> route(String namespace, String name) {
    return Optional.empty();
  }

  @Override
  default Optional<RateLimitPolicy> policy(String namespace, String name) {
    return Optional.empty();
  }

  @Override
  default Optional<Service> service(String namespace, String name) {
    return Optional.empty();
  }

  @Override
  default List<EndpointSlice> endpointSlices(String namespace, String serviceName) {
    return List.of();
  }
}
