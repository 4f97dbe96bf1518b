package dev.tollgate.gateway.route;

/**
 * Identity of what a request was routed by: a Route ({@code namespace/name}), or one rule of a
 * Gateway API HTTPRoute ({@code HTTPRoute/namespace/name#rule}). Its {@link #toString()} is the
 * {@code route} metric label and the span's route attribute; policies' limits are compiled per id.
 *
 * <p>A class rather than a record so that the label is built once: it is read for every request
 * (metrics, tracing). Two ids are equal when their labels are: Kubernetes names hold neither {@code
 * /} nor {@code #}, so a label names exactly one Route or HTTPRoute rule.
 */
public final class RouteId {
  public static final String ROUTE = "Route";
  public static final String HTTP_ROUTE = "HTTPRoute";

  private final String kind;
  private final String namespace;
  private final String name;
  private final String rule;
  private final String label;

  private RouteId(String kind, String namespace, String name, String rule) {
    this.kind = kind;
    this.namespace = namespace;
    this.name = name;
    this.rule = rule;
    this.label =
        HTTP_ROUTE.equals(kind)
            ? HTTP_ROUTE + "/" + namespace + "/" + name + "#" + rule
            : namespace + "/" + name;
  }

  /** A Route. */
  public RouteId(String namespace, String name) {
    this(ROUTE, namespace, name, null);
  }

  /**
   * One rule of an HTTPRoute.
   *
   * @param rule the rule's name ({@code rules[].name}, else {@code rule-<index>})
   */
  public static RouteId httpRouteRule(String namespace, String name, String rule) {
    return new RouteId(HTTP_ROUTE, namespace, name, rule);
  }

  /** {@link #ROUTE} or {@link #HTTP_ROUTE}. */
  public String kind() {
    return kind;
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  /** The HTTPRoute rule's name; null for a Route. */
  public String rule() {
    return rule;
  }

  public boolean isHttpRoute() {
    return HTTP_ROUTE.equals(kind);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RouteId id && label.equals(id.label);
  }

  @Override
  public int hashCode() {
    return label.hashCode();
  }

  @Override
  public String toString() {
    return label;
  }
}
