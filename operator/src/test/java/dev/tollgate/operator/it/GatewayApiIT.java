package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.GatewayStatuses.condition;
import static dev.tollgate.operator.it.GatewayStatuses.listener;
import static dev.tollgate.operator.it.OperatorFixture.apply;
import static dev.tollgate.operator.it.OperatorFixture.patience;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Gateway API on a real API server with the standard-channel CRDs: GatewayClass, Gateway and
 * HTTPRoute status as the specification defines it, HTTPRoutes compiled into the configuration in
 * Redis (matches, filters, weighted backends resolved to endpoints), ReferenceGrant allowing and
 * denying a cross-namespace backend, and policies attached to an HTTPRoute rule and a Gateway.
 */
class GatewayApiIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private GatewayApiFixture gatewayApi;
  private String infra;
  private String apps;
  private String className;
  private OperatorFixture.Running operator;

  @BeforeAll
  static void installCrds() {
    GatewayApiFixture.installCrds(KUBE.api());
  }

  @BeforeEach
  void start() {
    gatewayApi = GatewayApiFixture.create(KUBE.api());
    infra = gatewayApi.infra();
    className = gatewayApi.className();
    apps = KUBE.api().createNamespace("apps");
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: public}
        spec:
          gatewayClassName: %s
          listeners:
            - name: http
              protocol: HTTP
              port: 80
              allowedRoutes: {namespaces: {from: All}}
            - name: store
              protocol: HTTP
              port: 80
              hostname: store.example.com
              allowedRoutes: {namespaces: {from: Same}}
            - name: tcp
              protocol: TCP
              port: 80
            - name: other-port
              protocol: HTTP
              port: 8443
        """
            .formatted(className));
    operator = OperatorFixture.start(KUBE.api(), gatewayApi.operatorSettings(REDIS.server(), apps));
  }

  @AfterEach
  void stop() {
    operator.close();
  }

  @Test
  void gatewayClassAndGatewayAreAcceptedWithTheServiceAddressAndListenerConditions() {
    String clusterIp =
        KUBE.api()
            .client()
            .services()
            .inNamespace(infra)
            .withName("gateway")
            .get()
            .getSpec()
            .getClusterIP();

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              GatewayClass gatewayClass =
                  KUBE.api().client().resources(GatewayClass.class).withName(className).get();
              assertThat(condition(gatewayClass.getStatus().getConditions(), "Accepted"))
                  .isEqualTo("True Accepted");
              Gateway gateway = gateway();
              assertThat(condition(gateway.getStatus().getConditions(), "Accepted"))
                  .isEqualTo("True ListenersNotValid");
              assertThat(condition(gateway.getStatus().getConditions(), "Programmed"))
                  .isEqualTo("True Programmed");
              assertThat(gateway.getStatus().getAddresses())
                  .singleElement()
                  .satisfies(a -> assertThat(a.getValue()).isEqualTo(clusterIp));
              assertThat(listener(gateway, "http").getConditions())
                  .extracting(c -> c.getType() + "=" + c.getStatus())
                  .contains("Accepted=True", "Programmed=True", "ResolvedRefs=True");
              assertThat(condition(listener(gateway, "tcp").getConditions(), "Accepted"))
                  .isEqualTo("False UnsupportedProtocol");
              assertThat(condition(listener(gateway, "other-port").getConditions(), "Accepted"))
                  .isEqualTo("False PortUnavailable");
              assertThat(listener(gateway, "http").getSupportedKinds())
                  .extracting(k -> k.getKind())
                  .containsExactly("HTTPRoute");
              assertThat(gateway.getStatus().getConditions())
                  .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L));
            });
  }

  @Test
  void aListenerThatAllowsOnlyKindsTollgateCannotServeHasNoSupportedKinds() {
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: odd-kinds}
        spec:
          gatewayClassName: %s
          listeners:
            - name: http
              protocol: HTTP
              port: 80
              allowedRoutes: {kinds: [{kind: InvalidRoute}]}
        """
            .formatted(className));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              Gateway gateway = gatewayApi.gateway("odd-kinds");
              assertThat(gateway.getStatus()).as("status").isNotNull();
              assertThat(gateway.getStatus().getListeners()).hasSize(1);
              ListenerStatus listener = listener(gateway, "http");
              assertThat(condition(listener.getConditions(), "ResolvedRefs"))
                  .isEqualTo("False InvalidRouteKinds");
              assertThat(listener.getSupportedKinds()).isEmpty();
            });
  }

  @Test
  void anHttpRouteIsCompiledWithItsMatchesFiltersAndWeightedBackendsAndAccepted() {
    backend(apps, "store-v1", "10.1.0.1");
    backend(apps, "store-v2", "10.1.0.2");
    apply(
        KUBE.api(),
        apps,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: store}
        spec:
          parentRefs: [{name: public, namespace: %s, sectionName: http}]
          hostnames: [store.example.com]
          rules:
            - name: canary
              matches:
                - path: {type: PathPrefix, value: /items}
                  headers: [{name: X-Env, value: canary}]
                  queryParams: [{name: v, type: RegularExpression, value: "[0-9]+"}]
                  method: GET
              filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier: {set: [{name: X-Stage, value: canary}]}
                - type: URLRewrite
                  urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /v2/items}}
              backendRefs:
                - {name: store-v1, port: 80, weight: 90}
                - {name: store-v2, port: 80, weight: 10}
            - matches: [{path: {type: Exact, value: /old}}]
              filters:
                - type: RequestRedirect
                  requestRedirect: {statusCode: 301, path: {type: ReplaceFullPath, replaceFullPath: /new}}
            - name: orders
              matches:
                - path: {type: RegularExpression, value: "/orders/[0-9]+"}
                  headers: [{name: X-Tenant, type: RegularExpression, value: "t-[a-z]+"}]
              filters:
                - type: ResponseHeaderModifier
                  responseHeaderModifier: {add: [{name: X-Served-By, value: store}], remove: [Server]}
                - type: URLRewrite
                  urlRewrite: {hostname: orders.internal, path: {type: ReplaceFullPath, replaceFullPath: /orders}}
              backendRefs: [{name: store-v1, port: 80}]
        """
            .formatted(infra));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(parents(route(apps, "store")))
                  .containsExactly(
                      "public http: Accepted=True Accepted, ResolvedRefs=True ResolvedRefs");
              JsonNode entry = entry("HTTPRoute/" + apps + "/store");
              assertThat(entry.path("hostnames").toString()).isEqualTo("[\"store.example.com\"]");
              assertThat(entry.path("gateways").toString()).isEqualTo("[\"" + infra + "/public\"]");
              JsonNode canary = entry.at("/rules/0");
              assertThat(canary.path("name").asText()).isEqualTo("canary");
              assertThat(canary.at("/matches/0/headers/0/name").asText()).isEqualTo("X-Env");
              assertThat(canary.at("/matches/0/queryParams/0/type").asText())
                  .isEqualTo("RegularExpression");
              assertThat(canary.at("/matches/0/method").asText()).isEqualTo("GET");
              assertThat(canary.at("/filters/1/urlRewrite/path/replacePrefixMatch").asText())
                  .isEqualTo("/v2/items");
              assertThat(canary.at("/backends/0/weight").asInt()).isEqualTo(90);
              assertThat(canary.at("/backends/0/endpoints/0").asText())
                  .isEqualTo("http://10.1.0.1:8080");
              assertThat(canary.at("/backends/1/endpoints/0").asText())
                  .isEqualTo("http://10.1.0.2:8080");
              assertThat(entry.at("/rules/1/filters/0/requestRedirect/statusCode").asInt())
                  .isEqualTo(301);
              JsonNode orders = entry.at("/rules/2");
              assertThat(orders.at("/matches/0/path/type").asText()).isEqualTo("RegularExpression");
              assertThat(orders.at("/matches/0/headers/0/type").asText())
                  .isEqualTo("RegularExpression");
              assertThat(orders.at("/filters/0/responseHeaderModifier/remove/0").asText())
                  .isEqualTo("Server");
              assertThat(orders.at("/filters/1/urlRewrite/hostname").asText())
                  .isEqualTo("orders.internal");
              assertThat(orders.at("/backends/0/weight").asInt()).isEqualTo(1);
              assertThat(listener(gateway(), "http").getAttachedRoutes()).isEqualTo(1);
            });
  }

  /**
   * Two parentRefs of one route that name the same Gateway (one with the namespace, one without,
   * which the CRD's rules take for two parents) attach one route to each listener, not two.
   */
  @Test
  void aRouteAttachedToAListenerThroughTwoParentRefsCountsOnce() {
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: twice}
        spec:
          parentRefs: [{name: public}, {name: public, namespace: %s}]
          rules: [{matches: [{path: {type: PathPrefix, value: /twice}}]}]
        """
            .formatted(infra));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(parents(route(infra, "twice")))
                  .containsExactly(
                      "public: Accepted=True Accepted, ResolvedRefs=True ResolvedRefs",
                      "public: Accepted=True Accepted, ResolvedRefs=True ResolvedRefs");
              assertThat(listener(gateway(), "http").getAttachedRoutes()).isEqualTo(1);
              assertThat(listener(gateway(), "store").getAttachedRoutes()).isEqualTo(1);
            });
  }

  @Test
  void aCrossNamespaceBackendNeedsAReferenceGrant() {
    backend(infra, "shared", "10.1.0.9");
    apply(
        KUBE.api(),
        apps,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: borrower}
        spec:
          parentRefs: [{name: public, namespace: %s}]
          rules:
            - backendRefs: [{name: shared, namespace: %s, port: 80}]
        """
            .formatted(infra, infra));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(parents(route(apps, "borrower")))
                  .singleElement()
                  .asString()
                  .contains("Accepted=True Accepted", "ResolvedRefs=False RefNotPermitted");
              assertThat(
                      entry("HTTPRoute/" + apps + "/borrower")
                          .at("/rules/0/backends/0/problem")
                          .asText())
                  .startsWith("RefNotPermitted: ");
            });

    // grants that open something else: to HTTPRoutes of another namespace, to another Service
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: elsewhere-to-shared}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: elsewhere}]
          to: [{group: "", kind: Service, name: shared}]
        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: apps-to-other}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: %s}]
          to: [{group: "", kind: Service, name: other}]
        """
            .formatted(apps));
    await()
        .during(java.time.Duration.ofSeconds(2))
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(parents(route(apps, "borrower")))
                    .singleElement()
                    .asString()
                    .contains("ResolvedRefs=False RefNotPermitted"));

    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: apps-to-shared}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: %s}]
          to: [{group: "", kind: Service, name: shared}]
        """
            .formatted(apps));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(parents(route(apps, "borrower")))
                  .singleElement()
                  .asString()
                  .contains("ResolvedRefs=True ResolvedRefs");
              JsonNode backend = entry("HTTPRoute/" + apps + "/borrower").at("/rules/0/backends/0");
              assertThat(
                      backend.path("problem").isMissingNode() || backend.path("problem").isNull())
                  .isTrue();
              assertThat(backend.at("/endpoints/0").asText()).isEqualTo("http://10.1.0.9:8080");
            });

    KUBE.api()
        .client()
        .resources(io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant.class)
        .inNamespace(infra)
        .withName("apps-to-shared")
        .delete();
    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(parents(route(apps, "borrower")))
                  .singleElement()
                  .asString()
                  .contains("ResolvedRefs=False RefNotPermitted");
              assertThat(
                      entry("HTTPRoute/" + apps + "/borrower")
                          .at("/rules/0/backends/0/endpoints")
                          .size())
                  .isZero();
            });
  }

  @Test
  void anHttpRouteTheRulebookRefusesIsNotAcceptedNamingTheFieldAndLeftOut() {
    backend(apps, "store-v1", "10.1.0.1");
    apply(
        KUBE.api(),
        apps,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: bad-regex}
        spec:
          parentRefs: [{name: public, namespace: %s}]
          rules:
            - matches: [{path: {type: RegularExpression, value: "/items/("}}]
              backendRefs: [{name: store-v1, port: 80}]
        """
            .formatted(infra));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(parents(route(apps, "bad-regex")))
                  .singleElement()
                  .asString()
                  .contains("Accepted=False UnsupportedValue");
              assertThat(
                      route(apps, "bad-regex").getStatus().getParents().getFirst().getConditions())
                  .filteredOn(c -> c.getType().equals("Accepted"))
                  .singleElement()
                  .satisfies(
                      c ->
                          assertThat(c.getMessage())
                              .contains("spec.rules[0].matches[0].path.value")
                              .contains("invalid RE2 regular expression"));
              assertThat(entryFields()).doesNotContain("HTTPRoute/" + apps + "/bad-regex");
            });
  }

  @Test
  void routesTheListenersDoNotAllowOrThatTollgateCannotServeAreNotAcceptedAndLeftOut() {
    apply(
        KUBE.api(),
        apps,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: wrong-namespace}
        spec:
          parentRefs: [{name: public, namespace: %1$s, sectionName: store}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: no-such-listener}
        spec:
          parentRefs: [{name: public, namespace: %1$s, sectionName: nope}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: mirror}
        spec:
          parentRefs: [{name: public, namespace: %1$s}]
          rules:
            - filters:
                - type: RequestMirror
                  requestMirror: {backendRef: {name: somewhere, port: 80}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: someone-elses}
        spec:
          parentRefs: [{name: not-ours, namespace: %1$s}]
        """
            .formatted(infra));
    // the listener "store" serves store.example.com only, to routes of its own namespace
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: wrong-host}
        spec:
          parentRefs: [{name: public, sectionName: store}]
          hostnames: [a.example.com]
        """);

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(parents(route(apps, "wrong-namespace")))
                  .singleElement()
                  .asString()
                  .contains("Accepted=False NotAllowedByListeners");
              assertThat(parents(route(infra, "wrong-host")))
                  .singleElement()
                  .asString()
                  .contains("Accepted=False NoMatchingListenerHostname");
              assertThat(parents(route(apps, "no-such-listener")))
                  .singleElement()
                  .asString()
                  .contains("Accepted=False NoMatchingParent");
              assertThat(parents(route(apps, "mirror")))
                  .singleElement()
                  .asString()
                  .contains("Accepted=False UnsupportedValue");
              assertThat(route(apps, "someone-elses").getStatus()).isNull();
              assertThat(entryFields()).noneMatch(k -> k.startsWith("HTTPRoute/"));
            });
  }

  @Test
  void policiesAttachToAnHttpRouteRuleAndToAGatewayAndSayWhatTheyAreEnforcedOn() {
    backend(apps, "store-v1", "10.1.0.1");
    apply(
        KUBE.api(),
        apps,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: store}
        spec:
          parentRefs: [{name: public, namespace: %s}]
          rules:
            - name: checkout
              matches: [{path: {type: PathPrefix, value: /checkout}}]
              backendRefs: [{name: store-v1, port: 80}]
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: checkout}
        spec:
          targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: store, sectionName: checkout}]
          limits: [{name: per-client, rate: {requests: 10, period: 1m}, key: [{clientIP: true}]}]
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: missing-rule}
        spec:
          targetRefs: [{kind: HTTPRoute, name: store, sectionName: nope}]
          limits: [{name: per-client, rate: {requests: 10, period: 1m}}]
        """
            .formatted(infra));
    apply(
        KUBE.api(),
        infra,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: gateway-defaults}
        spec:
          targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: public}]
          limits: [{name: per-client, rate: {requests: 100, period: 1m}, key: [{clientIP: true}]}]
        """);

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(policyAccepted(apps, "checkout"))
                  .isEqualTo("True Accepted: enforced on HTTPRoute store#checkout");
              assertThat(policyAccepted(apps, "missing-rule"))
                  .startsWith("False TargetNotFound: HTTPRoute store#nope not found");
              assertThat(policyAccepted(infra, "gateway-defaults"))
                  .isEqualTo("True Accepted: enforced on Gateway public");
              assertThat(
                      entry("RateLimitPolicy/" + infra + "/gateway-defaults")
                          .at("/spec/targetRefs/0/kind")
                          .asText())
                  .isEqualTo("Gateway");
              assertThat(entry("HTTPRoute/" + apps + "/store").path("gateways").toString())
                  .isEqualTo("[\"" + infra + "/public\"]");
            });
    String table = OperatorFixture.get(KUBE.api(), apps, "ratelimitpolicies");
    assertThat(table).containsPattern("checkout\\s+HTTPRoute/store#checkout\\s+per-client");
  }

  @Test
  void aPolicyIsAcceptedOnceItsHttpRouteAndGatewayTargetsAppearAndNotAfterTheyGo() {
    apply(
        KUBE.api(),
        apps,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: early}
        spec:
          targetRefs: [{kind: HTTPRoute, name: later, sectionName: checkout}]
          limits: [{name: per-client, rate: {requests: 10, period: 1m}}]
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: early-gateway}
        spec:
          targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: later}]
          limits: [{name: per-client, rate: {requests: 10, period: 1m}}]
        """);
    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(policyAccepted(apps, "early")).startsWith("False TargetNotFound");
              assertThat(policyAccepted(apps, "early-gateway")).startsWith("False TargetNotFound");
            });

    backend(apps, "store-v1", "10.1.0.1");
    apply(
        KUBE.api(),
        apps,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: later}
        spec:
          parentRefs: [{name: public, namespace: %s}]
          rules:
            - name: checkout
              backendRefs: [{name: store-v1, port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: later}
        spec:
          gatewayClassName: %s
          listeners: [{name: http, protocol: HTTP, port: 80}]
        """
            .formatted(infra, className));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(policyAccepted(apps, "early"))
                  .isEqualTo("True Accepted: enforced on HTTPRoute later#checkout");
              assertThat(policyAccepted(apps, "early-gateway"))
                  .isEqualTo("True Accepted: enforced on Gateway later");
            });

    KUBE.api().kubectl(null, "-n", apps, "delete", "httproute/later", "gateway/later").orThrow();

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(policyAccepted(apps, "early")).startsWith("False TargetNotFound");
              assertThat(policyAccepted(apps, "early-gateway")).startsWith("False TargetNotFound");
            });
  }

  // --- helpers -------------------------------------------------------------------------------

  private static String policyAccepted(String namespace, String name) {
    var policy =
        KUBE.api()
            .client()
            .resources(dev.tollgate.api.v1alpha1.RateLimitPolicy.class)
            .inNamespace(namespace)
            .withName(name)
            .get();
    return policy.getStatus() == null
        ? "no status"
        : policy
            .getStatus()
            .condition("Accepted")
            .map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
            .orElse("absent");
  }

  /** A Service on port 80 (target 8080) with one ready endpoint. */
  private static void backend(String namespace, String name, String ip) {
    apply(
        KUBE.api(),
        namespace,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s}
        spec:
          ports: [{name: http, port: 80, targetPort: 8080}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: %1$s-1
          labels: {kubernetes.io/service-name: %1$s}
        addressType: IPv4
        ports: [{name: http, port: 8080}]
        endpoints: [{addresses: [%2$s]}]
        """
            .formatted(name, ip));
  }

  private Gateway gateway() {
    return gatewayApi.gateway("public");
  }

  private static HTTPRoute route(String namespace, String name) {
    return KUBE.api()
        .client()
        .resources(HTTPRoute.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  /** Tollgate's parents: {@code "<gateway> <section>: Accepted=True Accepted, ..."}. */
  private static List<String> parents(HTTPRoute route) {
    if (route.getStatus() == null || route.getStatus().getParents() == null) {
      return List.of();
    }
    return route.getStatus().getParents().stream()
        .filter(p -> GatewayApiFixture.CONTROLLER.equals(p.getControllerName()))
        .map(GatewayApiIT::describe)
        .toList();
  }

  private static String describe(RouteParentStatus parent) {
    return parent.getParentRef().getName()
        + Optional.ofNullable(parent.getParentRef().getSectionName()).map(s -> " " + s).orElse("")
        + ": "
        + String.join(
            ", ",
            parent.getConditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason())
                .toList());
  }

  private static List<String> entryFields() {
    return REDIS.server().cli("HKEYS", OperatorFixture.KEYS.entries()).lines().toList();
  }

  private static JsonNode entry(String field) {
    String json = REDIS.server().cli("HGET", OperatorFixture.KEYS.entries(), field).strip();
    assertThat(json).as("entry " + field).isNotEmpty();
    try {
      return ApiJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
