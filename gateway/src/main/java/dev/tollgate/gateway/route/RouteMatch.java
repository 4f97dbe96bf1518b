package dev.tollgate.gateway.route;

/**
 * The route chosen for a request and the path to send upstream (normalized, then rewritten).
 *
 * @param route the winning route
 * @param matchedPath the normalized request path the route matched
 * @param upstreamPath {@code matchedPath} after the route's path rewrite
 */
public record RouteMatch(CompiledRoute route, String matchedPath, String upstreamPath) {}
