package dev.tollgate.api.snapshot;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.api.v1alpha1.RouteSpec;
import java.util.List;

/**
 * A Route in a {@link ConfigSnapshot}: its spec exactly as in the cluster plus the base URLs of its
 * ready endpoints ({@code http://10.1.2.3:8080}), resolved from the Service's EndpointSlices or
 * copied from {@code spec.backend.endpoints}.
 *
 * @param appProtocol the referenced Service port's {@code appProtocol} (which HTTP version the
 *     upstream speaks when {@code spec.backend.protocol} does not say; see {@code
 *     UpstreamProtocols}); null when not a Service backend or the port names none
 */
public record SnapshotRoute(
    String namespace,
    String name,
    RouteSpec spec,
    List<String> endpoints,
    @JsonInclude(JsonInclude.Include.NON_NULL) String appProtocol) {
  @JsonCreator
  public SnapshotRoute {
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
  }

  /** A route whose upstream names no {@code appProtocol}. */
  public SnapshotRoute(String namespace, String name, RouteSpec spec, List<String> endpoints) {
    this(namespace, name, spec, endpoints, null);
  }
}
