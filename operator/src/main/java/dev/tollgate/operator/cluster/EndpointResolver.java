package dev.tollgate.operator.cluster;

import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.ServiceRef;
import dev.tollgate.rules.IpLiteral;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Resolves a Route backend to upstream URLs the way kube-proxy would pick endpoints: the Service
 * port named by number, then in each of the Service's EndpointSlices the port with the same name
 * (EndpointSlices name their ports after the Service's ports), and only endpoints whose {@code
 * ready} condition is not false (absent means ready, per the EndpointSlice API). IPv6 addresses are
 * bracketed; FQDN endpoints are used as host names. An ExternalName Service resolves to its
 * external name on the referenced port (not when that name is an IP address: Kubernetes treats it
 * as a DNS name, and DNS never resolves it). Pure: the caller supplies the Service and its slices.
 */
public final class EndpointResolver {
  private EndpointResolver() {}

  public static EndpointResolution resolve(
      RouteBackend backend, Optional<Service> service, Collection<EndpointSlice> slices) {
    if (backend.getService() == null) {
      List<String> endpoints = backend.getEndpoints() == null ? List.of() : backend.getEndpoints();
      return endpoints.isEmpty()
          ? EndpointResolution.unresolved(
              EndpointResolution.Outcome.NO_READY_ENDPOINTS, "no static endpoints configured")
          : EndpointResolution.resolved(
              List.copyOf(new TreeSet<>(endpoints)), endpoints.size() + " static endpoints");
    }
    ServiceRef ref = backend.getService();
    if (service.isEmpty()) {
      return EndpointResolution.unresolved(
          EndpointResolution.Outcome.SERVICE_NOT_FOUND, "Service " + ref.getName() + " not found");
    }
    if ("ExternalName".equals(service.get().getSpec().getType())) {
      String host = service.get().getSpec().getExternalName();
      if (IpLiteral.parseOrNull(host) != null || IpLiteral.isNumeric(host)) {
        // The API server accepts "10.96.0.1" or "10.1" as an external name (a valid DNS name) but
        // cluster DNS never resolves it; used as an address it would bypass the tenancy rules that
        // hold static addresses to the cluster's networks and the gateway's own ports.
        return EndpointResolution.unresolved(
            EndpointResolution.Outcome.NO_READY_ENDPOINTS,
            "ExternalName Service "
                + ref.getName()
                + " names the address "
                + host
                + "; an external name is a DNS name, which DNS does not resolve for an address");
      }
      return EndpointResolution.resolved(
          List.of(url("FQDN", host, ref.getPort())),
          "ExternalName Service " + ref.getName() + " -> " + host);
    }
    Optional<ServicePort> servicePort =
        Optional.ofNullable(service.get().getSpec().getPorts()).orElse(List.of()).stream()
            .filter(p -> Objects.equals(p.getPort(), ref.getPort()))
            .findFirst();
    if (servicePort.isEmpty()) {
      return EndpointResolution.unresolved(
          EndpointResolution.Outcome.PORT_NOT_FOUND,
          "Service " + ref.getName() + " has no port " + ref.getPort());
    }
    TreeSet<String> urls = new TreeSet<>();
    for (EndpointSlice slice : slices) {
      slicePort(slice, servicePort.get())
          .ifPresent(
              port -> {
                for (Endpoint endpoint :
                    Optional.ofNullable(slice.getEndpoints()).orElse(List.of())) {
                  if (ready(endpoint)) {
                    endpoint
                        .getAddresses()
                        .forEach(a -> urls.add(url(slice.getAddressType(), a, port)));
                  }
                }
              });
    }
    String target = "Service " + ref.getName() + " port " + ref.getPort();
    return (urls.isEmpty()
            ? EndpointResolution.unresolved(
                EndpointResolution.Outcome.NO_READY_ENDPOINTS, target + " has no ready endpoints")
            : EndpointResolution.resolved(
                List.copyOf(urls), target + ": " + urls.size() + " ready endpoints"))
        .withAppProtocol(servicePort.get().getAppProtocol());
  }

  private static Optional<Integer> slicePort(EndpointSlice slice, ServicePort servicePort) {
    List<EndpointPort> ports = Optional.ofNullable(slice.getPorts()).orElse(List.of());
    String name = Objects.requireNonNullElse(servicePort.getName(), "");
    return ports.stream()
        .filter(p -> name.equals(Objects.requireNonNullElse(p.getName(), "")))
        .map(EndpointPort::getPort)
        .filter(Objects::nonNull)
        .findFirst();
  }

  private static boolean ready(Endpoint endpoint) {
    return endpoint.getConditions() == null
        || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
  }

  private static String url(String addressType, String address, int port) {
    String host = "IPv6".equals(addressType) ? "[" + address + "]" : address;
    return "http://" + host + ":" + port;
  }
}
