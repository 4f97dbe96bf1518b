package dev.tollgate.gateway.route;

import dev.tollgate.gateway.backend.WeightedBackends;
import java.util.List;
import java.util.Set;

/**
 * A Route, or one match of an HTTPRoute rule, compiled for matching and proxying. Immutable; a
 * reload builds new instances (a backend's endpoint state is carried over when it is unchanged).
 *
 * @param id the Route, or the HTTPRoute rule
 * @param declarationOrder position in the configuration (Routes: files by name, documents in order,
 *     or the snapshot's order; then HTTPRoute rules, oldest route first); the last tie-breaker of
 *     precedence
 * @param hosts host patterns; {@code [ANY]} when the route lists none
 * @param path how the normalized path must match
 * @param methods upper-case method names; empty = any method
 * @param headers header matches, all of which must hold
 * @param queryParams query parameter matches, all of which must hold
 * @param filters what happens to a matched request besides proxying
 * @param backends where matched requests go
 * @param gateways the Gateways ({@code namespace/name}) an HTTPRoute is attached to; empty for a
 *     Route
 */
public record CompiledRoute(
    RouteId id,
    int declarationOrder,
    List<HostPattern> hosts,
    PathMatch path,
    Set<String> methods,
    List<ValueMatch> headers,
    List<ValueMatch> queryParams,
    RouteFilters filters,
    WeightedBackends backends,
    Set<String> gateways) {

  public CompiledRoute {
    hosts = List.copyOf(hosts);
    methods = Set.copyOf(methods);
    headers = List.copyOf(headers);
    queryParams = List.copyOf(queryParams);
    gateways = Set.copyOf(gateways);
  }

  /** The same route at another place in the configuration (routes before it came or went). */
  public CompiledRoute inPosition(int order) {
    return order == declarationOrder
        ? this
        : new CompiledRoute(
            id, order, hosts, path, methods, headers, queryParams, filters, backends, gateways);
  }

  /**
   * The predicates checked after host and path picked this route as a candidate: method, headers,
   * query parameters. Kept apart from host and path, so that however the {@link RouteTable} finds
   * its candidates by host and path, these checks and their precedence stay as they are.
   */
  boolean acceptsBeyondPath(MatchRequest request) {
    if (!methods.isEmpty() && !methods.contains(request.method())) {
      return false;
    }
    for (ValueMatch header : headers) {
      if (!header.matches(request.headers().apply(header.name()))) {
        return false;
      }
    }
    for (ValueMatch param : queryParams) {
      if (!param.matchesFirst(request.queryParams().apply(param.name()))) {
        return false;
      }
    }
    return true;
  }
}
