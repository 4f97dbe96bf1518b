package dev.tollgate.gateway.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * All routes, ordered once at compile time so that the first entry that matches a request is the
 * most specific one. Precedence, each rule breaking ties of the one before (the Gateway API's order
 * for HTTPRoutes, which Routes follow too):
 *
 * <ol>
 *   <li>host: an exact host before a wildcard ({@code *.example.com}, longer suffix first) before a
 *       route without hosts;
 *   <li>path: exact {@code path} before {@code pathPrefix} (longest prefix first) before {@code
 *       pathRegex};
 *   <li>a route restricted to methods before one that accepts any method;
 *   <li>more header matches first, then more query parameter matches first;
 *   <li>declaration order: Routes in configuration order, then HTTPRoutes oldest first (then by
 *       namespace and name), each in the order of its rules and matches.
 * </ol>
 *
 * A route with several hosts appears once per host, each entry ranked by that host.
 */
public final class RouteTable {
  public static final RouteTable EMPTY = new RouteTable(List.of());

  private static final Comparator<Entry> PRECEDENCE =
      Comparator.comparingInt((Entry e) -> -e.host().rank())
          .thenComparingInt(e -> -e.host().pattern().length())
          .thenComparingInt(e -> -e.route().path().kindRank())
          .thenComparingInt(e -> -e.route().path().length())
          .thenComparingInt(e -> e.route().methods().isEmpty() ? 1 : 0)
          .thenComparingInt(e -> -e.route().headers().size())
          .thenComparingInt(e -> -e.route().queryParams().size())
          .thenComparingInt(e -> e.route().declarationOrder());

  private final List<Entry> entries;
  private final List<CompiledRoute> routes;

  private record Entry(HostPattern host, CompiledRoute route) {}

  public RouteTable(List<CompiledRoute> routes) {
    this.routes = List.copyOf(routes);
    List<Entry> all = new ArrayList<>();
    for (CompiledRoute route : routes) {
      for (HostPattern host : route.hosts()) {
        all.add(new Entry(host, route));
      }
    }
    all.sort(PRECEDENCE);
    this.entries = List.copyOf(all);
  }

  /** Routes in declaration order. */
  public List<CompiledRoute> routes() {
    return routes;
  }

  /** The most specific route matching host, method and path (a request without headers). */
  public Optional<RouteMatch> match(String host, String method, String normalizedPath) {
    return match(MatchRequest.of(host, method, normalizedPath));
  }

  /**
   * Two steps: candidates by host and path, in precedence order; then the first candidate whose
   * method, header and query predicates hold ({@link CompiledRoute#acceptsBeyondPath}).
   */
  public Optional<RouteMatch> match(MatchRequest request) {
    for (Entry entry : entries) {
      CompiledRoute route = entry.route();
      if (entry.host().matches(request.host())
          && route.path().matches(request.path())
          && route.acceptsBeyondPath(request)) {
        String upstream = route.filters().pathRewrite().apply(route.path(), request.path());
        return Optional.of(new RouteMatch(route, request.path(), upstream));
      }
    }
    return Optional.empty();
  }
}
