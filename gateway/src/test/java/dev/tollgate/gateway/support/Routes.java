package dev.tollgate.gateway.support;

/** YAML snippets for test configurations. */
public final class Routes {
  private Routes() {}

  /**
   * A Route document.
   *
   * @param name metadata.name (namespace {@code test})
   * @param spec the spec body, indented by four spaces per level below {@code spec:}
   */
  public static String route(String name, String spec) {
    return """
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata:
          name: %s
          namespace: test
        spec:
        %s
        """
        .formatted(name, spec.indent(2).stripTrailing());
  }

  /** A route matching {@code match} (YAML under {@code match:}) to static endpoints. */
  public static String simple(String name, String match, String... endpoints) {
    return route(
        name,
        """
        match:
        %s
        backend:
          endpoints: [%s]
        """
            .formatted(match.indent(2).stripTrailing(), String.join(", ", endpoints)));
  }
}
