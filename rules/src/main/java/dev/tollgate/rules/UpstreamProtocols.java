package dev.tollgate.rules;

import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.RouteBackend.Protocol;
import java.util.List;

/**
 * Which HTTP version a Route's upstream speaks, decided once for the operator and the gateway: the
 * backend's {@code protocol} when set, otherwise the Service port's {@code appProtocol} the way
 * Kubernetes and the Gateway API read it ({@code kubernetes.io/h2c} is HTTP/2 in plain text),
 * otherwise HTTP/1.1.
 */
public final class UpstreamProtocols {
  /** The Service port {@code appProtocol} Kubernetes defines for HTTP/2 over cleartext. */
  public static final String K8S_H2C = "kubernetes.io/h2c";

  private UpstreamProtocols() {}

  /**
   * @param appProtocol the referenced Service port's {@code appProtocol}; null when the backend is
   *     not a Service or the port names none
   */
  public static Protocol effective(RouteBackend backend, String appProtocol) {
    if (backend != null && backend.getProtocol() != null) {
      return backend.getProtocol();
    }
    return K8S_H2C.equals(appProtocol) ? Protocol.H2C : Protocol.HTTP1;
  }

  /**
   * Static endpoints of an {@code h2c} backend are {@code http://}, of {@code h2} {@code https://}.
   */
  static boolean agreesWithSchemes(RouteBackend backend) {
    if (backend.getProtocol() == null || backend.getEndpoints() == null) {
      return true;
    }
    List<String> endpoints = backend.getEndpoints();
    return switch (backend.getProtocol()) {
      case HTTP1 -> true;
      case H2C -> endpoints.stream().allMatch(e -> e != null && e.startsWith("http://"));
      case H2 -> endpoints.stream().allMatch(e -> e != null && e.startsWith("https://"));
    };
  }
}
