package dev.tollgate.gateway.route;

import dev.tollgate.gateway.proxy.Backend;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A Route resource compiled for matching and proxying. Immutable; a reload builds new instances
 * (the {@link Backend}'s endpoint state is carried over when the backend is unchanged).
 *
 * @param id namespace/name of the Route
 * @param declarationOrder position in the configuration (files by name, documents in order, or the
 *     snapshot's array order); the last tie-breaker of precedence
 * @param hosts host patterns; {@code [ANY]} when the route lists none
 * @param path how the normalized path must match
 * @param methods upper-case method names; empty = any method
 * @param replacePrefix {@code rewrite.replacePrefix}
 * @param backend where matched requests go
 */
public record CompiledRoute(
    RouteId id,
    int declarationOrder,
    List<HostPattern> hosts,
    PathMatch path,
    Set<String> methods,
    Optional<String> replacePrefix,
    Backend backend) {

  public CompiledRoute {
    hosts = List.copyOf(hosts);
    methods = Set.copyOf(methods);
  }

  /** The same route at another place in the configuration (routes before it came or went). */
  public CompiledRoute inPosition(int order) {
    return order == declarationOrder
        ? this
        : new CompiledRoute(id, order, hosts, path, methods, replacePrefix, backend);
  }

  boolean allowsMethod(String method) {
    return methods.isEmpty() || methods.contains(method);
  }
}
