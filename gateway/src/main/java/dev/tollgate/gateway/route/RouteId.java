package dev.tollgate.gateway.route;

import java.util.Set;

/**
 * Identity of what a request was routed by: a Route ({@code namespace/name}), or one rule of a
 * Gateway API HTTPRoute ({@code HTTPRoute/namespace/name#rule}). Its {@link #toString()} is the
 * {@code route} metric label, the span's route attribute and the value of a limit keyed by {@code
 * route}; policies' limits are compiled per id.
 *
 * <p>A class rather than a record so that the label is built once: it is read for every request
 * (metrics, tracing). Two ids are equal when their labels are: Kubernetes names hold neither {@code
 * /} nor {@code #}, so a label names exactly one Route or HTTPRoute rule, as long as no two rules
 * of an HTTPRoute share the part after {@code #} (see {@link #unnamedHttpRouteRule}).
 */
public final class RouteId {
  public static final String ROUTE = "Route";
  public static final String HTTP_ROUTE = "HTTPRoute";

  private final String kind;
  private final String namespace;
  private final String name;
  private final String rule;
  private final String label;

  private RouteId(String kind, String namespace, String name, String rule, String ruleLabel) {
    this.kind = kind;
    this.namespace = namespace;
    this.name = name;
    this.rule = rule;
    this.label =
        HTTP_ROUTE.equals(kind)
            ? HTTP_ROUTE + "/" + namespace + "/" + name + "#" + ruleLabel
            : namespace + "/" + name;
  }

  /** A Route. */
  public RouteId(String namespace, String name) {
    this(ROUTE, namespace, name, null, null);
  }

  /**
   * A named rule of an HTTPRoute.
   *
   * @param rule its {@code rules[].name}
   */
  public static RouteId httpRouteRule(String namespace, String name, String rule) {
    return new RouteId(HTTP_ROUTE, namespace, name, rule, rule);
  }

  /**
   * A rule of an HTTPRoute without a name: labelled {@code rule-<index>}, unless a rule of the same
   * HTTPRoute is named so; then {@code rules[<index>]}, which no rule name can be (a rule name is a
   * Gateway API SectionName: lower-case letters, digits and {@code -}). Labels already in use keep
   * their form because a limit keyed by {@code route} hashes the label into its Redis key: changing
   * it would reset those clients' buckets.
   *
   * @param ruleNames the names of the HTTPRoute's named rules
   */
  public static RouteId unnamedHttpRouteRule(
      String namespace, String name, int index, Set<String> ruleNames) {
    String numbered = "rule-" + index;
    return new RouteId(
        HTTP_ROUTE,
        namespace,
        name,
        null,
        ruleNames.contains(numbered) ? "rules[" + index + "]" : numbered);
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

  /** The HTTPRoute rule's name (what a {@code sectionName} names); null for a Route or unnamed. */
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
