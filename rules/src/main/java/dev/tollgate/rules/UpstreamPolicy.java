package dev.tollgate.rules;

import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.RouteBackend;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a tenant's Route may send traffic, for a gateway instance that several teams share (a
 * deployment rule: {@link Rulebook#withRouteRule}).
 *
 * <p>A Route's backend is either a Service of its own namespace resolved to ready pod addresses
 * (always allowed), or something that reaches past the namespace's own pods: static {@code
 * spec.backend.endpoints}, or a Service that resolves to DNS names (an {@code ExternalName} Service
 * or FQDN EndpointSlices). Those are allowed only in {@code externalBackendNamespaces}, and even
 * there never to:
 *
 * <ul>
 *   <li>loopback, link-local (which holds the cloud metadata address 169.254.169.254), unspecified
 *       and multicast addresses, and the names {@code localhost} and {@code
 *       metadata.google.internal};
 *   <li>the cluster's networks ({@code clusterNetworks}: Service and Pod CIDRs), where a static
 *       address could reach the API server, Redis or another team's pods past their Services;
 *   <li>the gateway's own ports ({@code gatewayPorts}): a static address cannot be told apart from
 *       a gateway pod, whose admin port would then face every client;
 *   <li>names of the cluster's Services: single labels and {@code name.<gateway namespace>}, which
 *       the gateway's resolver completes in its own namespace (its admin Service, Redis), and
 *       {@code *.svc} names; the gateway's own Services ({@code gatewayServices}) as a Route's
 *       {@code backend.service}.
 * </ul>
 *
 * <p>Addresses resolved from a Service's EndpointSlices are pod IPs of the team's own Service and
 * are only held to the fixed ranges (Kubernetes refuses loopback and link-local endpoints anyway).
 *
 * @param externalBackendNamespaces namespaces allowed static and name backends ({@link
 *     NamespaceSet#NONE} by default in Kubernetes mode)
 * @param clusterNetworks CIDRs that static and name backends may not point into
 * @param gatewayPorts ports the gateway pods listen on (public and admin)
 * @param gatewayServices the gateway's Services as {@code namespace/name}
 */
public record UpstreamPolicy(
    NamespaceSet externalBackendNamespaces,
    AddressBlocks clusterNetworks,
    Set<Integer> gatewayPorts,
    Set<String> gatewayServices)
    implements RouteRule {

  /** Never a backend: loopback, link-local (cloud metadata), unspecified, multicast. */
  static final AddressBlocks NEVER =
      AddressBlocks.parse(
          "127.0.0.0/8, ::1/128, 169.254.0.0/16, fe80::/10, 0.0.0.0/8, ::/128, 224.0.0.0/4,"
              + " ff00::/8, fd00:ec2::254/128");

  private static final Set<String> NEVER_NAMES = Set.of("localhost", "metadata.google.internal");

  public UpstreamPolicy {
    gatewayPorts = Set.copyOf(gatewayPorts);
    gatewayServices = Set.copyOf(gatewayServices);
  }

  @Override
  public void check(SnapshotRoute route, Problems problems) {
    RouteBackend backend = route.spec().getBackend();
    if (backend == null) {
      return;
    }
    Problems at = problems.at("spec.backend");
    boolean external = externalBackendNamespaces.contains(route.namespace());
    if (backend.getEndpoints() != null) {
      if (!external) {
        at.add("endpoints", notAllowed(route.namespace(), "static endpoints"));
        return;
      }
      List<String> endpoints = backend.getEndpoints();
      for (int i = 0; i < endpoints.size(); i++) {
        staticOrNamed(endpoints.get(i), at.at("endpoints[" + i + "]"));
      }
    } else if (backend.getService() != null) {
      service(
          route.namespace(),
          route.namespace(),
          backend.getService().getName(),
          route.endpoints(),
          at.at("service"));
    }
  }

  /**
   * The rule for a backend that goes through a Service, the same for a Route's {@code
   * backend.service} and an HTTPRoute's backendRef (which may name another namespace's Service):
   * the gateway's own Services never, pod addresses only outside the never-a-backend ranges, and
   * names (an ExternalName Service, FQDN endpoints) only for routes of {@code
   * externalBackendNamespaces}, held there to the rules of static endpoints.
   *
   * @param routeNamespace the namespace of the route, whose team the rules are about
   * @param endpoints what the Service resolved to
   * @param at the Service reference's field ({@code name} is added for the Service's name)
   */
  public void service(
      String routeNamespace,
      String serviceNamespace,
      String serviceName,
      List<String> endpoints,
      Problems at) {
    String service = serviceNamespace + "/" + serviceName;
    if (gatewayServices.contains(service)) {
      at.add("name", "'" + service + "' is the gateway's own Service");
      return;
    }
    boolean external = externalBackendNamespaces.contains(routeNamespace);
    for (String endpoint : endpoints) {
      resolved(routeNamespace, endpoint, external, at);
    }
  }

  private void resolved(String routeNamespace, String endpoint, boolean external, Problems at) {
    Target target = Target.of(endpoint);
    if (target == null) {
      return; // not a base URL: RouteRules reports that
    }
    if (numericName(target, at)) {
      return;
    }
    if (target.address() != null) {
      if (NEVER.contains(target.address())) {
        at.add("", "resolves to " + target.host() + ", which is never a backend " + NEVER_WHY);
      }
      return;
    }
    if (!external) {
      at.add(
          "",
          "resolves to the name '"
              + target.host()
              + "' (an ExternalName Service or FQDN endpoints); "
              + notAllowed(routeNamespace, "backends outside the cluster's Services"));
      return;
    }
    staticOrNamed(endpoint, at);
  }

  private void staticOrNamed(String endpoint, Problems at) {
    Target target = Target.of(endpoint);
    if (target == null) {
      return; // RouteRules reports a malformed URL
    }
    if (numericName(target, at)) {
      return;
    }
    if (target.address() != null) {
      if (NEVER.contains(target.address())) {
        at.add("", target.host() + " is never a backend " + NEVER_WHY);
        return;
      }
      if (clusterNetworks.contains(target.address())) {
        at.add(
            "",
            target.host()
                + " is in the cluster's networks; point at a Service of your namespace instead");
        return;
      }
    } else if (isNeverName(target.host())) {
      at.add("", "'" + target.host() + "' is never a backend " + NEVER_WHY);
      return;
    } else if (namesClusterService(target.host())) {
      at.add(
          "",
          "'"
              + target.host()
              + "' names a Service inside the cluster (the gateway resolves a single label or"
              + " name.<its namespace> in its own namespace; *.svc is cluster DNS); point at a"
              + " Service of your namespace instead");
      return;
    }
    if (gatewayPorts.contains(target.port())) {
      at.add(
          "",
          "port "
              + target.port()
              + " is the gateway's own (public or admin); reach an upstream on it through a"
              + " Service");
    }
  }

  private static final String NEVER_WHY =
      "(loopback, link-local such as the metadata address 169.254.169.254, unspecified or"
          + " multicast)";

  private static String notAllowed(String namespace, String what) {
    return what
        + " are not allowed in namespace '"
        + namespace
        + "' (the gateway's tenancy.externalBackendNamespaces)";
  }

  /**
   * Refuses a host of digits and dots that is no dotted-decimal address ({@code 10.1}, {@code
   * 167772161}, {@code 010.1.1.1}): no DNS name, but an address to the resolver, one no rule here
   * judged.
   */
  private static boolean numericName(Target target, Problems at) {
    if (target.address() != null || !IpLiteral.isNumeric(target.host())) {
      return false;
    }
    at.add(
        "",
        "'"
            + target.host()
            + "' is no DNS name, and no IP address in dotted decimal (four numbers 0-255 without"
            + " leading zeros)");
    return true;
  }

  private static boolean isNeverName(String host) {
    return NEVER_NAMES.contains(host) || host.endsWith(".localhost");
  }

  /**
   * Whether a name reaches a Service of the cluster rather than a host outside it: a single label
   * ({@code redis}) or {@code name.<gateway namespace>} is completed by the gateway pod's DNS
   * search path in the gateway's own namespace (Redis, the admin Service), and {@code *.svc} or
   * {@code *.svc.<cluster domain>} is cluster DNS (another team's Service past its owner).
   */
  private boolean namesClusterService(String host) {
    if (host.indexOf('.') < 0 || host.endsWith(".svc") || host.contains(".svc.")) {
      return true;
    }
    for (String service : gatewayServices) {
      if (host.endsWith("." + service.substring(0, service.indexOf('/')))) {
        return true;
      }
    }
    return false;
  }

  /** Host (lower case), its literal address if it is one, and the port of an endpoint URL. */
  private record Target(String host, InetAddress address, int port) {
    static Target of(String endpoint) {
      if (endpoint == null) {
        return null;
      }
      try {
        URI uri = new URI(endpoint);
        if (uri.getHost() == null) {
          return null;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return new Target(host, IpLiteral.parseOrNull(host), port);
      } catch (URISyntaxException e) {
        return null;
      }
    }
  }
}
