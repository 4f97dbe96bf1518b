package dev.tollgate.operator.reconciler.route;

import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.operator.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Relates Routes and the Services they send traffic to, in both directions: an index on the Route
 * cache ({@code namespace/service}) answers "which Routes use this Service" when a Service or one
 * of its EndpointSlices changes; the Route's own spec answers "which Service does it use".
 */
public final class RouteServiceIndex {
  static final String INDEX = "route-by-service";

  private final IndexedResourceCache<Route> routes;

  public RouteServiceIndex(IndexedResourceCache<Route> routes) {
    this.routes = routes;
  }

  /** The indexer to register on the Route cache before the mappers are used. */
  public static Map<String, Function<Route, List<String>>> indexers() {
    return Map.of(
        INDEX,
        route ->
            serviceName(route)
                .map(s -> List.of(key(route.getMetadata().getNamespace(), s)))
                .orElse(List.of()));
  }

  public SecondaryToPrimaryMapper<Service> serviceToRoutes() {
    return service ->
        routesUsing(service.getMetadata().getNamespace(), service.getMetadata().getName());
  }

  public SecondaryToPrimaryMapper<EndpointSlice> endpointSliceToRoutes() {
    return slice -> {
      String service =
          slice.getMetadata().getLabels() == null
              ? null
              : slice.getMetadata().getLabels().get(ClusterView.SERVICE_NAME_LABEL);
      return service == null ? Set.of() : routesUsing(slice.getMetadata().getNamespace(), service);
    };
  }

  public static PrimaryToSecondaryMapper<Route> routeToService() {
    return route ->
        serviceName(route)
            .map(s -> Set.of(new ResourceID(s, route.getMetadata().getNamespace())))
            .orElse(Set.of());
  }

  static java.util.Optional<String> serviceName(Route route) {
    return java.util.Optional.ofNullable(route.getSpec())
        .map(s -> s.getBackend())
        .map(b -> b.getService())
        .map(s -> s.getName());
  }

  private Set<ResourceID> routesUsing(String namespace, String service) {
    return routes.byIndex(INDEX, key(namespace, service)).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static String key(String namespace, String service) {
    return namespace + "/" + service;
  }
}
