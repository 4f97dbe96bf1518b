package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.OperatorFixture.apply;
import static dev.tollgate.operator.it.OperatorFixture.patience;
import static dev.tollgate.operator.it.OperatorFixture.snapshot;
import static dev.tollgate.testkit.kube.RouteYaml.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.common.Condition;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.rules.Tenancy;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Teams sharing one gateway instance, as the Helm chart configures the operator: static and name
 * backends only in the namespace allowed them, never towards the metadata address or the gateway's
 * own ports, and a host owned by the namespace that claimed it first. Every refusal shows on the
 * Route's own status naming the field, and a refused Route is not in the snapshot the gateways
 * serve. Real API server, real Redis, the operator in-process.
 */
class TenancyIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private String teamA;
  private String teamB;
  private String edge;
  private Map<String, String> env;
  private OperatorFixture.Running operator;

  @BeforeAll
  static void installCrds() {
    GatewayApiFixture.installCrds(KUBE.api());
  }

  @BeforeEach
  void startOperator() {
    teamA = KUBE.api().createNamespace("team-a");
    teamB = KUBE.api().createNamespace("team-b");
    edge = KUBE.api().createNamespace("edge");
    env = OperatorFixture.settings(REDIS.server(), String.join(",", teamA, teamB, edge));
    env.put(Tenancy.EXTERNAL_BACKEND_NAMESPACES, edge); // the chart's default is none
    env.put(Tenancy.GATEWAY_PORTS, "8080,9090");
    env.put(Tenancy.SHARED_HOSTS, "shared.example.com");
    operator = OperatorFixture.start(KUBE.api(), env);
  }

  @AfterEach
  void stopOperator() {
    operator.close();
  }

  @Test
  void theMetadataAddressAndTheGatewaysAdminPortAreRefusedNamingTheField() {
    apply(
        KUBE.api(),
        edge,
        route(
                "metadata",
                """
                match: {pathPrefix: /meta}
                backend: {endpoints: ["http://169.254.169.254"]}
                """)
            + "---\n"
            + route(
                "admin",
                """
                match: {pathPrefix: /admin}
                backend: {endpoints: ["http://10.9.8.7:9090"]}
                """)
            + "---\n"
            + route(
                "partner",
                """
                match: {pathPrefix: /partner}
                backend: {endpoints: ["http://203.0.113.20:8443"]}
                """));
    apply(
        KUBE.api(),
        teamA,
        route(
                "static",
                """
                match: {pathPrefix: /static}
                backend: {endpoints: ["http://203.0.113.20:8443"]}
                """)
            + "---\n"
            + """
            apiVersion: v1
            kind: Service
            metadata: {name: partner}
            spec: {type: ExternalName, externalName: api.partner.example}
            ---
            """
            + route(
                "partner",
                """
                match: {pathPrefix: /partner}
                backend: {service: {name: partner, port: 443}}
                """));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertRefused(
                  edge,
                  "metadata",
                  "Invalid",
                  "spec.backend.endpoints[0]: 169.254.169.254 is never a backend");
              assertRefused(
                  edge,
                  "admin",
                  "Invalid",
                  "spec.backend.endpoints[0]: port 9090 is the gateway's own");
              assertRefused(
                  teamA,
                  "static",
                  "Invalid",
                  "spec.backend.endpoints: static endpoints are not allowed in namespace '"
                      + teamA
                      + "'");
              assertRefused(
                  teamA,
                  "partner",
                  "Invalid",
                  "spec.backend.service: resolves to the name 'api.partner.example' (an"
                      + " ExternalName Service or FQDN endpoints); backends outside the cluster's"
                      + " Services are not allowed in namespace '"
                      + teamA
                      + "'");
              assertThat(routesIn(snapshot(REDIS.server()))).containsExactly(edge + "/partner");
            });
  }

  @Test
  void aSecondNamespacesRouteForAnOwnedHostGetsHostConflictAndIsNotServed() {
    apply(
        KUBE.api(),
        teamA,
        route(
            "orders",
            """
            hosts: [shop.example.com, shared.example.com]
            match: {pathPrefix: /orders}
            backend: {service: {name: orders, port: 8080}}
            """));
    await()
        .atMost(patience())
        .until(() -> routesIn(snapshot(REDIS.server())).contains(teamA + "/orders"));
    apply(
        KUBE.api(),
        teamB,
        route(
                "steal",
                """
                hosts: [shop.example.com]
                match: {pathPrefix: /orders/admin}
                backend: {service: {name: mine, port: 8080}}
                """)
            + "---\n"
            + route(
                "together",
                """
                hosts: [shared.example.com]
                match: {pathPrefix: /together}
                backend: {service: {name: mine, port: 8080}}
                """));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertRefused(
                  teamB,
                  "steal",
                  "HostConflict",
                  "spec.hosts[0]: host 'shop.example.com' belongs to namespace '" + teamA + "'");
              assertThat(routesIn(snapshot(REDIS.server())))
                  .contains(teamA + "/orders", teamB + "/together")
                  .doesNotContain(teamB + "/steal");
            });
    // and it stays out: ownership does not flap as the snapshot is rewritten
    await()
        .during(Duration.ofSeconds(2))
        .atMost(patience())
        .until(() -> !routesIn(snapshot(REDIS.server())).contains(teamB + "/steal"));

    // once the owner's Route is gone, the next claim owns the host: served, and its status moves
    // on to what is left to say (its Service does not exist)
    KUBE.api().client().resources(Route.class).inNamespace(teamA).withName("orders").delete();
    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(routesIn(snapshot(REDIS.server()))).contains(teamB + "/steal");
              assertRefused(teamB, "steal", "ServiceNotFound", "Service mine not found");
            });
  }

  /**
   * A Route's age is not its claim's: team-a's Route, created first for another host, edited to
   * list the host team-b serves, does not take it (before, the older Route won and team-b's was
   * left out of the snapshot at once), and neither does it when the operator restarts and judges
   * afresh: the owners are read back from the stored configuration.
   */
  @Test
  void anOlderRouteOfAnotherNamespaceCannotTakeAServedHostNotEvenAcrossARestart() {
    String oldRoute =
        """
        hosts: [old.example.com]
        match: {pathPrefix: /}
        backend: {service: {name: old, port: 8080}}
        """;
    apply(KUBE.api(), teamA, route("old", oldRoute));
    await()
        .atMost(patience())
        .until(() -> routesIn(snapshot(REDIS.server())).contains(teamA + "/old"));
    apply(
        KUBE.api(),
        teamB,
        route(
            "shop",
            """
            hosts: [shop.example.com]
            match: {pathPrefix: /}
            backend: {service: {name: shop, port: 8080}}
            """));
    await()
        .atMost(patience())
        .until(() -> routesIn(snapshot(REDIS.server())).contains(teamB + "/shop"));

    apply(
        KUBE.api(),
        teamA,
        route("old", oldRoute.replace("[old.example.com]", "[old.example.com, shop.example.com]")));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertRefused(
                  teamA,
                  "old",
                  "HostConflict",
                  "spec.hosts[1]: host 'shop.example.com' belongs to namespace '" + teamB + "'");
              assertThat(routesIn(snapshot(REDIS.server())))
                  .contains(teamB + "/shop")
                  .doesNotContain(teamA + "/old");
            });

    operator.close();
    operator = OperatorFixture.start(KUBE.api(), env);
    await()
        .atMost(patience())
        .until(
            () ->
                operator.metric("tollgate_operator_snapshot_writes_total{result=\"unchanged\"}")
                        + operator.metric(
                            "tollgate_operator_snapshot_writes_total{result=\"written\"}")
                    >= 1);
    await()
        .during(Duration.ofSeconds(3))
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(routesIn(snapshot(REDIS.server())))
                    .contains(teamB + "/shop")
                    .doesNotContain(teamA + "/old"));
  }

  @Test
  void anHttpRoutesBackendsAreHeldToTheSameRulesAsARoutesEachOnItsOwn() {
    String gatewayClass = "tollgate-" + edge;
    apply(
        KUBE.api(),
        edge,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: %1$s}
        spec: {controllerName: %2$s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: public}
        spec:
          gatewayClassName: %1$s
          listeners:
            - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
        """
            .formatted(gatewayClass, GatewayApiFixture.CONTROLLER));
    apply(
        KUBE.api(),
        teamA,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: partner}
        spec: {type: ExternalName, externalName: api.partner.example}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: metadata}
        spec: {type: ExternalName, externalName: metadata.google.internal}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: orders}
        spec:
          ports: [{name: http, port: 80, targetPort: 8080}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: orders-1
          labels: {kubernetes.io/service-name: orders}
        addressType: IPv4
        ports: [{name: http, port: 8080}]
        endpoints: [{addresses: [10.1.0.7]}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop}
        spec:
          parentRefs: [{name: public, namespace: %s}]
          hostnames: [api.team-a.example]
          rules:
            - backendRefs: [{name: orders, port: 80}]
            - matches: [{path: {type: PathPrefix, value: /partner}}]
              backendRefs: [{name: partner, port: 443}]
            - matches: [{path: {type: PathPrefix, value: /meta}}]
              backendRefs: [{name: metadata, port: 80}]
        """
            .formatted(edge));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              JsonNode rules = httpRouteEntry(teamA, "shop").path("rules");
              assertThat(rules.at("/0/backends/0/endpoints/0").asText())
                  .isEqualTo("http://10.1.0.7:8080");
              assertThat(rules.at("/1/backends/0/endpoints")).isEmpty();
              assertThat(rules.at("/1/backends/0/problem").asText())
                  .isEqualTo(
                      "RefNotPermitted: backendRef "
                          + teamA
                          + "/partner:443: resolves to the name 'api.partner.example' (an"
                          + " ExternalName Service or FQDN endpoints); backends outside the"
                          + " cluster's Services are not allowed in namespace '"
                          + teamA
                          + "' (the gateway's tenancy.externalBackendNamespaces)");
              assertThat(rules.at("/2/backends/0/endpoints")).isEmpty();
              assertThat(rules.at("/2/backends/0/problem").asText())
                  .startsWith("RefNotPermitted: backendRef " + teamA + "/metadata:80: ");
              HTTPRoute route =
                  KUBE.api()
                      .client()
                      .resources(HTTPRoute.class)
                      .inNamespace(teamA)
                      .withName("shop")
                      .get();
              assertThat(route.getStatus().getParents())
                  .singleElement()
                  .satisfies(
                      parent ->
                          assertThat(parent.getConditions())
                              .anySatisfy(
                                  c -> {
                                    assertThat(c.getType()).isEqualTo("ResolvedRefs");
                                    assertThat(c.getStatus()).isEqualTo("False");
                                    assertThat(c.getReason()).isEqualTo("RefNotPermitted");
                                  }));
            });
  }

  private static JsonNode httpRouteEntry(String namespace, String name) throws Exception {
    String json =
        REDIS
            .server()
            .cli("HGET", OperatorFixture.KEYS.entries(), "HTTPRoute/" + namespace + "/" + name)
            .strip();
    assertThat(json).as("entry of HTTPRoute %s/%s", namespace, name).isNotEmpty();
    return ApiJson.mapper().readTree(json);
  }

  private static List<String> routesIn(JsonNode snapshot) {
    List<String> names = new ArrayList<>();
    snapshot
        .path("routes")
        .forEach(r -> names.add(r.path("namespace").asText() + "/" + r.path("name").asText()));
    return names;
  }

  private static void assertRefused(
      String namespace, String name, String reason, String messageStart) {
    Route route =
        KUBE.api().client().resources(Route.class).inNamespace(namespace).withName(name).get();
    assertThat(route.getStatus()).as("status of %s/%s", namespace, name).isNotNull();
    Condition accepted = route.getStatus().condition("Accepted").orElseThrow();
    assertThat(accepted.getStatus()).isEqualTo("False");
    assertThat(accepted.getReason()).isEqualTo(reason);
    assertThat(accepted.getMessage()).startsWith(messageStart);
  }
}
