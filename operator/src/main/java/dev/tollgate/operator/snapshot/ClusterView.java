package dev.tollgate.operator.snapshot;

import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;

/** Read access to the cached cluster state the snapshot is compiled from. */
public interface ClusterView {
  /** Label by which an EndpointSlice names its Service (set by the EndpointSlice controller). */
  String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  List<Route> routes();

  List<RateLimitPolicy> policies();

  Optional<Route> route(String namespace, String name);

  Optional<RateLimitPolicy> policy(String namespace, String name);

  Optional<Service> service(String namespace, String name);

  List<EndpointSlice> endpointSlices(String namespace, String serviceName);
}
