package dev.tollgate.gateway.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All routes, ordered once at compile time by precedence, each rule breaking ties of the one before
 * (the Gateway API's order for HTTPRoutes, which Routes follow too):
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
 * A route with several hosts appears once per host, each entry ranked by that host. A request gets
 * the first entry in that order that matches it, found without scanning: the request's host picks
 * at most one {@link PathTree} per host pattern that can match it (the exact host, each wildcard
 * suffix of it, longest first, then the routes without hosts), and each tree offers only the routes
 * whose path can match, in precedence order; the route's remaining predicates (method, headers,
 * query parameters) decide among those. So a lookup costs the same with three routes or ten
 * thousand (docs/benchmarks.md).
 */
public final class RouteTable {
  private static final Comparator<Entry> PRECEDENCE =
      Comparator.comparingInt((Entry e) -> -e.host().rank())
          .thenComparingInt(e -> -e.host().pattern().length())
          .thenComparingInt(e -> -e.route().path().kindRank())
          .thenComparingInt(e -> -e.route().path().length())
          .thenComparingInt(e -> e.route().methods().isEmpty() ? 1 : 0)
          .thenComparingInt(e -> -e.route().headers().size())
          .thenComparingInt(e -> -e.route().queryParams().size())
          .thenComparingInt(e -> e.route().declarationOrder());

  public static final RouteTable EMPTY = new RouteTable(List.of());

  private final List<CompiledRoute> routes;
  private final Map<String, PathTree<Entry>> exactHosts = new HashMap<>();
  private final Map<String, PathTree<Entry>> wildcardSuffixes = new HashMap<>();
  private final PathTree<Entry> anyHost = new PathTree<>();

  /**
   * @param rank position in precedence order, lower first
   */
  private record Entry(int rank, HostPattern host, CompiledRoute route) {}

  public RouteTable(List<CompiledRoute> routes) {
    this.routes = List.copyOf(routes);
    List<Entry> all = new ArrayList<>();
    for (CompiledRoute route : routes) {
      for (HostPattern host : route.hosts()) {
        all.add(new Entry(0, host, route));
      }
    }
    all.sort(PRECEDENCE);
    for (int rank = 0; rank < all.size(); rank++) {
      Entry entry = all.get(rank);
      index(new Entry(rank, entry.host(), entry.route()));
    }
  }

  private void index(Entry entry) {
    HostPattern host = entry.host();
    PathTree<Entry> tree;
    if (host.isAny()) {
      tree = anyHost;
    } else if (host.isWildcard()) {
      tree = wildcardSuffixes.computeIfAbsent(host.pattern().substring(1), s -> new PathTree<>());
    } else {
      tree = exactHosts.computeIfAbsent(host.pattern(), h -> new PathTree<>());
    }
    switch (entry.route().path()) {
      case PathMatch.Exact exact -> tree.addExact(exact.path(), entry);
      case PathMatch.Prefix prefix -> tree.addPrefix(prefix.prefix(), entry);
      case PathMatch.Regex regex -> tree.addRegex(regex.literalPrefix(), entry);
    }
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
   * Two steps: candidates by host and path, in precedence order, from the path index; then the
   * first candidate whose method, header and query predicates hold ({@link
   * CompiledRoute#acceptsBeyondPath}).
   */
  public Optional<RouteMatch> match(MatchRequest request) {
    String host = request.host();
    Candidates candidates = new Candidates(request);
    Entry found = find(exactHosts.get(host), candidates);
    if (found == null && !wildcardSuffixes.isEmpty()) {
      // A wildcard needs at least one label in front of its suffix; the first dot after the
      // host's first character starts the longest suffix.
      for (int dot = host.indexOf('.', 1);
          found == null && dot > 0;
          dot = host.indexOf('.', dot + 1)) {
        found = find(wildcardSuffixes.get(host.substring(dot)), candidates);
      }
    }
    if (found == null) {
      found = find(anyHost, candidates);
    }
    if (found == null) {
      return Optional.empty();
    }
    CompiledRoute route = found.route();
    String upstream = route.filters().pathRewrite().apply(route.path(), request.path());
    return Optional.of(new RouteMatch(route, request.path(), upstream));
  }

  private static Entry find(PathTree<Entry> tree, Candidates candidates) {
    return tree == null ? null : tree.find(candidates.request().path(), candidates);
  }

  /** The predicates a candidate the path index offered must still pass. */
  private record Candidates(MatchRequest request) implements PathTree.Candidates<Entry> {
    @Override
    public boolean admits(Entry entry) {
      CompiledRoute route = entry.route();
      return route.path().matches(request.path()) && route.acceptsBeyondPath(request);
    }

    @Override
    public int rank(Entry entry) {
      return entry.rank();
    }
  }
}
