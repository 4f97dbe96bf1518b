package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.RouteMatch;
import dev.tollgate.api.v1alpha1.RouteSpec;
import dev.tollgate.api.v1alpha1.ServiceRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamPolicyTest {
  private static final Rulebook TENANTS =
      Rulebook.standard()
          .withTenancy(
              Tenancy.from(
                  Map.of(
                          Tenancy.EXTERNAL_BACKEND_NAMESPACES, "edge",
                          Tenancy.CLUSTER_NETWORKS, "10.96.0.0/12, 10.244.0.0/16, fd00:10::/64",
                          Tenancy.GATEWAY_PORTS, "8080,9090",
                          Tenancy.GATEWAY_SERVICES,
                              "tollgate-system/tg-gateway,tollgate-system/tg-gateway-admin")
                      ::get));

  private static SnapshotRoute withEndpoints(String namespace, String... endpoints) {
    RouteSpec spec = new RouteSpec();
    RouteMatch match = new RouteMatch();
    match.setPathPrefix("/");
    spec.setMatch(match);
    RouteBackend backend = new RouteBackend();
    backend.setEndpoints(List.of(endpoints));
    spec.setBackend(backend);
    return new SnapshotRoute(namespace, "r", spec, List.of(endpoints));
  }

  private static SnapshotRoute withService(String namespace, String service, String... resolved) {
    RouteSpec spec = new RouteSpec();
    RouteMatch match = new RouteMatch();
    match.setPathPrefix("/");
    spec.setMatch(match);
    RouteBackend backend = new RouteBackend();
    ServiceRef ref = new ServiceRef();
    ref.setName(service);
    ref.setPort(80);
    backend.setService(ref);
    spec.setBackend(backend);
    return new SnapshotRoute(namespace, "r", spec, List.of(resolved));
  }

  @Test
  void staticEndpointsAreOffUnlessTheNamespaceIsAllowed() {
    assertThat(TENANTS.check(withEndpoints("shop", "http://203.0.113.9:8000")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.backend.endpoints");
              assertThat(p.message()).contains("not allowed in namespace 'shop'");
            });
    assertThat(TENANTS.check(withEndpoints("edge", "http://203.0.113.9:8000"))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "http://169.254.169.254, never a backend",
    "http://169.254.169.254:80, never a backend",
    "http://127.0.0.1:8000, never a backend",
    "http://[::1]:8000, never a backend",
    "http://[fe80::1]:8000, never a backend",
    "http://[::ffff:169.254.169.254]:80, never a backend",
    "http://0.0.0.0:8000, never a backend",
    "http://[fd00:ec2::254], never a backend",
    "http://localhost:8000, never a backend",
    "http://api.localhost:8000, never a backend",
    "http://metadata.google.internal, never a backend",
    "http://10.96.0.1:443, cluster's networks",
    "http://10.244.3.7:8000, cluster's networks",
    "http://[fd00:10::7]:8000, cluster's networks",
    "http://203.0.113.9:9090, port 9090 is the gateway's own",
    "http://203.0.113.9:8080, port 8080 is the gateway's own",
    "http://tg-gateway-admin.tollgate-system.svc.cluster.local:9090, inside the cluster",
    "http://tg-gateway.tollgate-system:80, inside the cluster",
    "http://tg-redis.tollgate-system:6379, inside the cluster",
    "http://redis:6379, inside the cluster",
    "http://orders.team-b.svc.cluster.local:80, inside the cluster",
    "http://orders.team-b.svc:80, inside the cluster",
    "http://167772161:8000, is no DNS name",
    "http://010.244.3.7:8000, is no DNS name",
    "http://203.0.113.09:8000, is no DNS name",
  })
  void someAddressesAreRefusedEvenWhereStaticEndpointsAreAllowed(String endpoint, String why) {
    assertThat(TENANTS.check(withEndpoints("edge", "http://203.0.113.10:8000", endpoint)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.backend.endpoints[1]");
              assertThat(p.message()).contains(why);
            });
  }

  @Test
  void aServiceOfTheRoutesNamespaceResolvesToPodsOnAnyPort() {
    assertThat(TENANTS.check(withService("shop", "orders", "http://10.244.3.7:9090"))).isEmpty();
  }

  @Test
  void aServiceResolvingToANameCountsAsAnExternalBackend() {
    assertThat(TENANTS.check(withService("shop", "partner", "http://api.partner.example:443")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.backend.service");
              assertThat(p.message()).contains("ExternalName", "not allowed in namespace 'shop'");
            });
    assertThat(TENANTS.check(withService("edge", "partner", "http://api.partner.example:443")))
        .isEmpty();
    assertThat(TENANTS.check(withService("edge", "sneaky", "http://metadata.google.internal:80")))
        .singleElement()
        .satisfies(p -> assertThat(p.field()).isEqualTo("spec.backend.service"));
  }

  @Test
  void theGatewaysOwnServiceIsNeverABackend() {
    assertThat(
            TENANTS.check(
                withService("tollgate-system", "tg-gateway-admin", "http://10.244.0.5:9090")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.backend.service.name");
              assertThat(p.message()).contains("gateway's own Service");
            });
  }

  @Test
  void anHttpRoutesServiceBackendIsHeldToTheSameRulesJudgedForTheRoutesNamespace() {
    assertThat(
            TENANTS.checkServiceBackend(
                "shop", "shop", "partner", List.of("http://api.partner.example:443")))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("not allowed in namespace 'shop'"));
    // a ReferenceGrant lets an HTTPRoute name another namespace's Service: the route's namespace
    // is still the one judged, and the gateway's own Service is still refused
    assertThat(
            TENANTS.checkServiceBackend(
                "shop", "edge", "partner", List.of("http://api.partner.example:443")))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("not allowed in namespace 'shop'"));
    assertThat(
            TENANTS.checkServiceBackend(
                "shop", "tollgate-system", "tg-gateway-admin", List.of("http://10.244.0.5:9090")))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.toString())
                    .contains(
                        "name: 'tollgate-system/tg-gateway-admin' is the gateway's own Service"));
    assertThat(
            TENANTS.checkServiceBackend(
                "edge", "edge", "sneaky", List.of("http://metadata.google.internal:80")))
        .hasSize(1);
    assertThat(
            TENANTS.checkServiceBackend("shop", "shop", "orders", List.of("http://10.244.3.7:80")))
        .isEmpty();
    assertThat(
            Rulebook.standard()
                .checkServiceBackend(
                    "shop", "shop", "partner", List.of("http://api.partner.example:443")))
        .isEmpty();
  }

  @Test
  void withoutTenancyTheStandardRulesAllowStaticEndpoints() {
    assertThat(Rulebook.standard().check(withEndpoints("shop", "http://127.0.0.1:9000"))).isEmpty();
  }

  @Test
  void tenancySettingsAreClosedByDefaultAndNameTheirVariable() {
    Tenancy defaults = Tenancy.from(Map.<String, String>of()::get);
    assertThat(defaults.upstreams().externalBackendNamespaces()).isEqualTo(NamespaceSet.NONE);
    assertThat(defaults.sharedHosts()).isEmpty();
    assertThatThrownBy(() -> Tenancy.from(Map.of(Tenancy.GATEWAY_PORTS, "80,http")::get))
        .hasMessage("TOLLGATE_GATEWAY_PORTS: 'http' is not a port 1..65535");
    assertThatThrownBy(() -> Tenancy.from(Map.of(Tenancy.CLUSTER_NETWORKS, "cluster.local")::get))
        .hasMessageStartingWith("TOLLGATE_CLUSTER_NETWORKS: 'cluster.local' is not an IP");
  }
}
