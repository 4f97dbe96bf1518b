package dev.tollgate.gateway.route;

import java.util.Optional;

/**
 * What a route does to a matched request besides choosing its backend: header changes both ways, a
 * redirect instead of proxying, the {@code Host} the upstream sees, and the path it sees.
 *
 * @param upstreamHost the {@code Host} header sent upstream: empty = the endpoint's authority (a
 *     Route), present = this value (an HTTPRoute: the client's host, or its URLRewrite hostname)
 * @param keepClientHost send the client's {@code Host} upstream (HTTPRoutes, as the Gateway API
 *     expects; Routes send the endpoint's)
 */
public record RouteFilters(
    HeaderChanges requestHeaders,
    HeaderChanges responseHeaders,
    Optional<Redirect> redirect,
    PathRewrite pathRewrite,
    Optional<String> upstreamHost,
    boolean keepClientHost) {
  public static final RouteFilters NONE =
      new RouteFilters(
          HeaderChanges.NONE,
          HeaderChanges.NONE,
          Optional.empty(),
          PathRewrite.NONE,
          Optional.empty(),
          false);

  /** A Route's filters: only its {@code rewrite.replacePrefix}. */
  public static RouteFilters rewrite(PathRewrite path) {
    return new RouteFilters(
        HeaderChanges.NONE, HeaderChanges.NONE, Optional.empty(), path, Optional.empty(), false);
  }
}
