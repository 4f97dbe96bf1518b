package dev.tollgate.gateway.route;

/**
 * Identity of what a request was routed by: a Route ({@code namespace/name}), or one rule of a
 * Gateway API HTTPRoute ({@code HTTPRoute/namespace/name#rule}). Its {@link #toString()} is the
 * {@code route} metric label; policies' limits are compiled per id.
 *
 * @param kind {@link #ROUTE} or {@link #HTTP_ROUTE}
 * @param rule an HTTPRoute rule's name ({@code rules[].name}, else {@code rule-<index>}); null for
 *     a Route
 */
public record RouteId(String kind, String namespace, String name, String rule) {
  public static final String ROUTE = "Route";
  public static final String HTTP_ROUTE = "HTTPRoute";

  /** A Route. */
  public RouteId(String namespace, String name) {
    this(ROUTE, namespace, name, null);
  }

  /** One rule of an HTTPRoute. */
  public static RouteId httpRouteRule(String namespace, String name, String rule) {
    return new RouteId(HTTP_ROUTE, namespace, name, rule);
  }

  public boolean isHttpRoute() {
    return HTTP_ROUTE.equals(kind);
  }

  @Override
  public String toString() {
    return isHttpRoute()
        ? HTTP_ROUTE + "/" + namespace + "/" + name + "#" + rule
        : namespace + "/" + name;
  }
}
