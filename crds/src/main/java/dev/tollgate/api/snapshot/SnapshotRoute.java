package dev.tollgate.api.snapshot;

import dev.tollgate.api.v1alpha1.RouteSpec;
import java.util.List;

/**
 * A Route in a {@link ConfigSnapshot}: its spec exactly as in the cluster plus the base URLs of its
 * ready endpoints ({@code http://10.1.2.3:8080}), resolved from the Service's EndpointSlices or
 * copied from {@code spec.backend.endpoints}.
 */
public record SnapshotRoute(String namespace, String name, RouteSpec spec, List<String> endpoints) {
  public SnapshotRoute {
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
  }
}
