package dev.tollgate.gateway.ratelimit;

/** Standalone config documents for the policy ITs (namespace {@code shop}). */
public final class PolicyYaml {
  private PolicyYaml() {}

  public static String route(String name, String pathPrefix, String jwtMode, String upstreamUrl) {
    return """
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata: {name: %s, namespace: shop}
        spec:
          match: {pathPrefix: %s}
          backend: {endpoints: ["%s"]}
          auth: {jwt: %s}
        """
        .formatted(name, pathPrefix, upstreamUrl, jwtMode);
  }

  /**
   * A policy on one route.
   *
   * @param specExtra extra spec lines (enforcement, failureMode), or ""
   * @param limits the YAML list under {@code limits:}, each line indented by two spaces
   */
  public static String policy(String name, String route, String specExtra, String limits) {
    return """
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: %s, namespace: shop}
        spec:
          targetRefs: [{kind: Route, name: %s}]
        %s  limits:
        %s
        """
        .formatted(
            name,
            route,
            specExtra.isEmpty() ? "" : specExtra.indent(2),
            limits.indent(2).stripTrailing());
  }

  /** Route {@code shop/orders} on {@code /orders} without JWT and a policy with one limit by IP. */
  static String ordersLimitedByClientIp(String upstreamUrl, String limitName, String numbers) {
    return route("orders", "/orders", "none", upstreamUrl)
        + policy(
            "per-client",
            "orders",
            "",
            "- name: "
                + limitName
                + "\n"
                + numbers.indent(2).stripTrailing()
                + "\n  key: [{clientIP: true}]");
  }
}
