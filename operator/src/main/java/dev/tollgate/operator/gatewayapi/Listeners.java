package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.cluster.ClusterView;
import dev.tollgate.operator.config.GatewayApiSettings;
import dev.tollgate.operator.status.DesiredCondition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the listeners of a Gateway of Tollgate's class accept: the one rule both the HTTPRoute
 * resolver (may a route attach?) and the Gateway status (is the listener valid, which kinds does it
 * support?) apply. A listener is valid when its protocol is HTTP, or HTTPS terminated by the
 * gateway ({@code tls.mode} Terminate, the default; its certificates are judged by {@link
 * ListenerCertificates}), and, where the operator knows the gateway Service, its port is one the
 * Service exposes for that protocol (HTTPS: the port named {@code https}).
 */
public final class Listeners {
  static final String HTTP = "HTTP";
  static final String HTTPS = "HTTPS";
  private static final String PASSTHROUGH = "Passthrough";
  private static final String TLS_PORT_NAME = "https";

  private final ClusterView view;
  private final GatewayApiSettings settings;

  public Listeners(ClusterView view, GatewayApiSettings settings) {
    this.view = view;
    this.settings = settings;
  }

  /** Whether the Gateway's class is served by this operator. */
  public boolean ours(Gateway gateway) {
    String className = gateway.getSpec() == null ? null : gateway.getSpec().getGatewayClassName();
    return className != null
        && view.gatewayClass(className)
            .map(
                c ->
                    c.getSpec() != null
                        && settings.controllerName().equals(c.getSpec().getControllerName()))
            .orElse(false);
  }

  /** Why the listener cannot serve routes ({@code Accepted=False}), or empty when it can. */
  public Optional<DesiredCondition> invalid(Listener listener) {
    if (!HTTP.equals(listener.getProtocol()) && !HTTPS.equals(listener.getProtocol())) {
      return Optional.of(
          DesiredCondition.isFalse(
              GatewayApiNames.ACCEPTED,
              GatewayApiNames.UNSUPPORTED_PROTOCOL,
              "protocol "
                  + listener.getProtocol()
                  + " is not supported; Tollgate serves HTTP and HTTPS listeners"));
    }
    // The standard CRD already refuses Passthrough on HTTPS at apply time; kept for other CRDs.
    if (HTTPS.equals(listener.getProtocol())
        && listener.getTls() != null
        && PASSTHROUGH.equals(listener.getTls().getMode())) {
      return Optional.of(
          DesiredCondition.isFalse(
              GatewayApiNames.ACCEPTED,
              GatewayApiNames.UNSUPPORTED_PROTOCOL,
              "tls.mode Passthrough is not supported; Tollgate terminates TLS (mode Terminate)"));
    }
    Optional<Service> service = addressService();
    if (service.isEmpty()) {
      return Optional.empty();
    }
    String prefix = "port " + listener.getPort() + " of the gateway Service " + name(service.get());
    if (!servicePorts(service.get()).contains(listener.getPort())) {
      return portUnavailable(prefix + " does not exist " + servicePorts(service.get()));
    }
    // The Service's port named https leads to the gateway's TLS socket, the others to plain HTTP
    // (the chart names them so): a listener must use a port that speaks its protocol.
    boolean https = HTTPS.equals(listener.getProtocol());
    if (https != tlsPort(service.get(), listener.getPort())) {
      return portUnavailable(
          prefix
              + (https
                  ? " serves plain HTTP; HTTPS listeners use its port named https"
                  : " serves HTTPS; HTTP listeners use its other ports"));
    }
    return Optional.empty();
  }

  private static Optional<DesiredCondition> portUnavailable(String message) {
    return Optional.of(
        DesiredCondition.isFalse(
            GatewayApiNames.ACCEPTED, GatewayApiNames.PORT_UNAVAILABLE, message));
  }

  private static String name(Service service) {
    return service.getMetadata().getName();
  }

  private static boolean tlsPort(Service service, int port) {
    return service.getSpec().getPorts().stream()
        .anyMatch(p -> p.getPort() == port && TLS_PORT_NAME.equals(p.getName()));
  }

  /** Whether the listener's {@code allowedRoutes.kinds} include HTTPRoute (absent: they do). */
  public static boolean allowsHttpRoutes(Listener listener) {
    List<RouteGroupKind> kinds = kinds(listener);
    return kinds.isEmpty() || kinds.stream().anyMatch(Listeners::isHttpRoute);
  }

  /** Kinds a listener names that Tollgate cannot attach (ResolvedRefs=False InvalidRouteKinds). */
  public static List<RouteGroupKind> invalidKinds(Listener listener) {
    return kinds(listener).stream().filter(k -> !isHttpRoute(k)).toList();
  }

  private static List<RouteGroupKind> kinds(Listener listener) {
    return listener.getAllowedRoutes() == null || listener.getAllowedRoutes().getKinds() == null
        ? List.of()
        : listener.getAllowedRoutes().getKinds();
  }

  private static boolean isHttpRoute(RouteGroupKind kind) {
    String group = kind.getGroup() == null ? GatewayApiNames.GROUP : kind.getGroup();
    return GatewayApiNames.GROUP.equals(group) && GatewayApiNames.HTTP_ROUTE.equals(kind.getKind());
  }

  /** Whether a route in {@code routeNamespace} may attach ({@code allowedRoutes.namespaces}). */
  public boolean allowsNamespace(
      Listener listener, String gatewayNamespace, String routeNamespace) {
    var namespaces =
        listener.getAllowedRoutes() == null ? null : listener.getAllowedRoutes().getNamespaces();
    String from =
        namespaces == null || namespaces.getFrom() == null ? "Same" : namespaces.getFrom();
    return switch (from) {
      case "All" -> true;
      case "Selector" -> selects(namespaces.getSelector(), view.namespaceLabels(routeNamespace));
      default -> gatewayNamespace.equals(routeNamespace);
    };
  }

  /** The gateway Service, whose ports decide which listeners are valid, when one is configured. */
  public Optional<GatewayApiSettings.ServiceName> addressServiceName() {
    return settings.addressService();
  }

  /** The address of the gateway Service: its load balancer's, else its cluster IP. */
  public Optional<String> address() {
    return addressService()
        .map(
            s -> {
              var ingress =
                  s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                      ? null
                      : s.getStatus().getLoadBalancer().getIngress();
              if (ingress != null && !ingress.isEmpty()) {
                return ingress.getFirst().getIp() != null
                    ? ingress.getFirst().getIp()
                    : ingress.getFirst().getHostname();
              }
              return s.getSpec().getClusterIP();
            })
        .filter(a -> a != null && !a.isEmpty() && !a.equals("None"));
  }

  private Optional<Service> addressService() {
    return settings.addressService().flatMap(s -> view.service(s.namespace(), s.name()));
  }

  private static List<Integer> servicePorts(Service service) {
    return service.getSpec().getPorts() == null
        ? List.of()
        : service.getSpec().getPorts().stream().map(ServicePort::getPort).toList();
  }

  /** Kubernetes label selector semantics; a null selector selects nothing. */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean holds =
            switch (r.getOperator()) {
              case "In" -> value != null && values.contains(value);
              case "NotIn" -> value == null || !values.contains(value);
              case "Exists" -> labels.containsKey(r.getKey());
              case "DoesNotExist" -> !labels.containsKey(r.getKey());
              default -> false;
            };
        if (!holds) {
          return false;
        }
      }
    }
    return true;
  }
}
