package dev.tollgate.testkit.kube;

/** A Tollgate Route as {@code kubectl apply} takes it, for tests that write many small ones. */
public final class RouteYaml {
  private RouteYaml() {}

  /**
   * A {@code tollgate.dev/v1alpha1} Route named {@code name} (in the namespace it is applied to)
   * whose {@code spec} is the given YAML, written without indentation.
   */
  public static String route(String name, String spec) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata:
          name: %s
        spec:
        %s
        """
        .formatted(name, spec.indent(2).stripTrailing());
  }
}
