package dev.tollgate.operator.cluster;

import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.api.v1alpha1.RouteBackend;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.List;
import java.util.Map;
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

  /** A Route backend in {@code namespace} resolved against this view's Services and slices. */
  default EndpointResolution resolve(String namespace, RouteBackend backend) {
    if (backend == null) {
      return EndpointResolution.unresolved(
          EndpointResolution.Outcome.NO_READY_ENDPOINTS, "no backend");
    }
    if (backend.getService() == null) {
      return EndpointResolver.resolve(backend, Optional.empty(), List.of());
    }
    String name = backend.getService().getName();
    return EndpointResolver.resolve(
        backend, service(namespace, name), endpointSlices(namespace, name));
  }

  /** Whether the Gateway API kinds are served (their CRDs installed when the operator started). */
  default boolean gatewayApi() {
    return false;
  }

  default List<HTTPRoute> httpRoutes() {
    return List.of();
  }

  default Optional<HTTPRoute> httpRoute(String namespace, String name) {
    return Optional.empty();
  }

  default List<Gateway> gateways() {
    return List.of();
  }

  default Optional<Gateway> gateway(String namespace, String name) {
    return Optional.empty();
  }

  default Optional<GatewayClass> gatewayClass(String name) {
    return Optional.empty();
  }

  default List<GatewayClass> gatewayClasses() {
    return List.of();
  }

  default List<ReferenceGrant> referenceGrants(String namespace) {
    return List.of();
  }

  /**
   * A Secret of type {@code kubernetes.io/tls} (the only type HTTPS listeners may use; others are
   * never read); empty when there is none of that type or listener certificates are off.
   */
  default Optional<Secret> tlsSecret(String namespace, String name) {
    return Optional.empty();
  }

  /** The labels of a namespace (a listener may select routes by them); empty when unknown. */
  default Map<String, String> namespaceLabels(String namespace) {
    return Map.of();
  }
}
