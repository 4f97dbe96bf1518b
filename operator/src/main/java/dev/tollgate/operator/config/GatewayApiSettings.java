package dev.tollgate.operator.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the operator takes part in the Gateway API.
 *
 * @param controllerName the {@code spec.controllerName} of the GatewayClasses this operator serves
 *     ({@code TOLLGATE_GATEWAY_CONTROLLER_NAME}); their Gateways and the HTTPRoutes attached to
 *     them go into this gateway instance's configuration
 * @param addressService the Service in front of this instance's gateway pods ({@code
 *     TOLLGATE_GATEWAY_SERVICE}, {@code namespace/name}): its address is each Gateway's {@code
 *     status.addresses}, and a listener may only use one of its ports. Empty: no address is
 *     published and any port is accepted
 * @param listenerCertificates the Secret the operator writes the certificates of HTTPS listeners
 *     into for the gateway pods to mount ({@code TOLLGATE_LISTENER_CERTIFICATES_SECRET}, {@code
 *     name} in the operator's own namespace or {@code namespace/name}). Empty: HTTPS listeners are
 *     not served (their status says so) and no Secret is read or written
 */
public record GatewayApiSettings(
    String controllerName,
    Optional<ServiceName> addressService,
    Optional<ListenerCertificatesSecret> listenerCertificates) {
  public static final String DEFAULT_CONTROLLER_NAME = "tollgate.dev/gateway-controller";

  /** A Service by namespace and name. */
  public record ServiceName(String namespace, String name) {}

  /**
   * Where the listener certificate bundle goes.
   *
   * @param namespace empty = the operator's own namespace
   * @param mountingPods the labels of the pods that mount it ({@code
   *     TOLLGATE_LISTENER_CERTIFICATES_PODS}, {@code key=value,...}), annotated after each write so
   *     that their kubelets remount it at once; empty: none is
   */
  public record ListenerCertificatesSecret(
      Optional<String> namespace, String name, Map<String, String> mountingPods) {
    public ListenerCertificatesSecret {
      mountingPods = Map.copyOf(mountingPods);
    }
  }

  /** Settings without HTTPS listener certificates. */
  public GatewayApiSettings(String controllerName, Optional<ServiceName> addressService) {
    this(controllerName, addressService, Optional.empty());
  }

  public GatewayApiSettings {
    if (!controllerName.matches(
        "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+$")) {
      throw new IllegalArgumentException(
          OperatorSettings.GATEWAY_CONTROLLER_NAME
              + "="
              + controllerName
              + ": expected a domain-prefixed path such as "
              + DEFAULT_CONTROLLER_NAME);
    }
  }

  static ListenerCertificatesSecret listenerCertificatesSecret(String value, List<String> pods) {
    String[] parts = value.split("/", -1);
    String name = parts[parts.length - 1];
    String dns1123 = "[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?";
    if (parts.length > 2 || !name.matches(dns1123) || (parts.length == 2 && parts[0].isEmpty())) {
      throw new IllegalArgumentException(
          OperatorSettings.LISTENER_CERTIFICATES_SECRET
              + "="
              + value
              + ": expected a Secret name or namespace/name");
    }
    return new ListenerCertificatesSecret(
        parts.length == 2 ? Optional.of(parts[0]) : Optional.empty(), name, podLabels(pods));
  }

  /** Equality selectors only ({@code key=value}): what a Deployment's pod template carries. */
  private static Map<String, String> podLabels(List<String> pairs) {
    String key =
        "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
    String value = "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?";
    Map<String, String> labels = new LinkedHashMap<>();
    for (String pair : pairs) {
      String[] parts = pair.split("=", -1);
      if (parts.length != 2 || !parts[0].matches(key) || !parts[1].matches(value)) {
        throw new IllegalArgumentException(
            OperatorSettings.LISTENER_CERTIFICATES_PODS
                + ": expected label=value pairs separated by commas, was '"
                + pair
                + "'");
      }
      labels.put(parts[0], parts[1]);
    }
    return labels;
  }

  static ServiceName serviceRef(String value) {
    String[] parts = value.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          OperatorSettings.GATEWAY_SERVICE + "=" + value + ": expected namespace/name");
    }
    return new ServiceName(parts[0], parts[1]);
  }
}
