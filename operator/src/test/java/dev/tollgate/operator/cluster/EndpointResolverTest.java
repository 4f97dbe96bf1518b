package dev.tollgate.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.ServiceRef;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointResolverTest {
  private static RouteBackend backend(String service, int port) {
    RouteBackend backend = new RouteBackend();
    backend.setService(new ServiceRef(service, port));
    return backend;
  }

  private static Service service(String portName, int port) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName("orders")
        .endMetadata()
        .withNewSpec()
        .addNewPort()
        .withName(portName)
        .withPort(port)
        .endPort()
        .endSpec()
        .build();
  }

  private static EndpointSlice slice(
      String type, String portName, int port, Boolean ready, String... addresses) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName("orders-" + type)
        .endMetadata()
        .withAddressType(type)
        .addNewPort()
        .withName(portName)
        .withPort(port)
        .endPort()
        .withEndpoints(
            new EndpointBuilder()
                .withAddresses(addresses)
                .withNewConditions()
                .withReady(ready)
                .endConditions()
                .build())
        .build();
  }

  @Test
  void resolvesReadyIpv4Ipv6AndFqdnEndpointsOnTheSlicePortNamedLikeTheServicePort() {
    EndpointResolution resolution =
        EndpointResolver.resolve(
            backend("orders", 8080),
            Optional.of(service("http", 8080)),
            List.of(
                slice("IPv4", "http", 9000, true, "10.0.0.2", "10.0.0.1"),
                slice("IPv6", "http", 9000, null, "fd00::1"),
                slice("FQDN", "http", 9000, true, "orders.ext.example"),
                slice("IPv4", "metrics", 9090, true, "10.0.0.9")));

    assertThat(resolution.outcome()).isEqualTo(EndpointResolution.Outcome.RESOLVED);
    assertThat(resolution.endpoints())
        .containsExactly(
            "http://10.0.0.1:9000",
            "http://10.0.0.2:9000",
            "http://[fd00::1]:9000",
            "http://orders.ext.example:9000");
  }

  @Test
  void carriesTheServicePortsAppProtocol() {
    Service service = service("grpc", 9090);
    service.getSpec().getPorts().getFirst().setAppProtocol("kubernetes.io/h2c");
    EndpointResolution resolution =
        EndpointResolver.resolve(
            backend("orders", 9090),
            Optional.of(service),
            List.of(slice("IPv4", "grpc", 9000, true, "10.0.0.1")));

    assertThat(resolution.appProtocol()).isEqualTo("kubernetes.io/h2c");
    assertThat(
            EndpointResolver.resolve(
                    backend("orders", 8080),
                    Optional.of(service("http", 8080)),
                    List.of(slice("IPv4", "http", 9000, true, "10.0.0.1")))
                .appProtocol())
        .isNull();
  }

  @Test
  void leavesOutEndpointsThatAreNotReady() {
    EndpointResolution resolution =
        EndpointResolver.resolve(
            backend("orders", 8080),
            Optional.of(service("http", 8080)),
            List.of(slice("IPv4", "http", 9000, false, "10.0.0.1")));

    assertThat(resolution.outcome()).isEqualTo(EndpointResolution.Outcome.NO_READY_ENDPOINTS);
    assertThat(resolution.endpoints()).isEmpty();
    assertThat(resolution.detail()).isEqualTo("Service orders port 8080 has no ready endpoints");
  }

  @Test
  void matchesAnUnnamedServicePortToTheUnnamedSlicePort() {
    EndpointResolution resolution =
        EndpointResolver.resolve(
            backend("orders", 80),
            Optional.of(service(null, 80)),
            List.of(slice("IPv4", null, 8080, true, "10.0.0.1")));

    assertThat(resolution.endpoints()).containsExactly("http://10.0.0.1:8080");
  }

  @Test
  void resolvesAnExternalNameServiceToItsNameOnTheReferencedPort() {
    Service external =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("payments")
            .endMetadata()
            .withNewSpec()
            .withType("ExternalName")
            .withExternalName("payments.example.com")
            .endSpec()
            .build();

    EndpointResolution resolution =
        EndpointResolver.resolve(backend("payments", 443), Optional.of(external), List.of());

    assertThat(resolution.endpoints()).containsExactly("http://payments.example.com:443");
  }

  /** 10.1 and 010.96.0.1 are valid DNS names the JDK's resolver reads as 10.0.0.1 and 10.96.0.1. */
  @ParameterizedTest
  @ValueSource(strings = {"10.96.0.1", "10.1", "010.96.0.1", "167772161"})
  void anExternalNameThatIsAnAddressResolvesToNothing(String address) {
    Service external =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("sneaky")
            .endMetadata()
            .withNewSpec()
            .withType("ExternalName")
            .withExternalName(address)
            .endSpec()
            .build();

    EndpointResolution resolution =
        EndpointResolver.resolve(backend("sneaky", 443), Optional.of(external), List.of());

    assertThat(resolution.outcome()).isEqualTo(EndpointResolution.Outcome.NO_READY_ENDPOINTS);
    assertThat(resolution.endpoints()).isEmpty();
    assertThat(resolution.detail()).contains("names the address " + address);
  }

  @Test
  void reportsAMissingServiceOrPort() {
    assertThat(EndpointResolver.resolve(backend("orders", 8080), Optional.empty(), List.of()))
        .isEqualTo(
            EndpointResolution.unresolved(
                EndpointResolution.Outcome.SERVICE_NOT_FOUND, "Service orders not found"));
    assertThat(
            EndpointResolver.resolve(
                    backend("orders", 81), Optional.of(service("http", 8080)), List.of())
                .detail())
        .isEqualTo("Service orders has no port 81");
  }

  @Test
  void usesStaticEndpointsWhenNoServiceIsNamed() {
    RouteBackend backend = new RouteBackend();
    backend.setEndpoints(List.of("http://b.example:80", "http://a.example:80"));

    assertThat(EndpointResolver.resolve(backend, Optional.empty(), List.of()).endpoints())
        .containsExactly("http://a.example:80", "http://b.example:80");
  }
}
