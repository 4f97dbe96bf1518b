package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.PemPair;
import dev.tollgate.testkit.kube.GatewayApiCrds;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real operator jar, configured with the environment the chart renders for it and authenticated
 * as the chart's operator ServiceAccount (a bound token), on an API server that enforces RBAC: it
 * elects itself leader on its Lease, reconciles the example Route and RateLimitPolicy to Accepted
 * and Programmed, writes the snapshot to Redis and records an Event — so the chart's ClusterRole
 * and Role are enough for everything it does; with listener certificates on, it also writes the
 * bundle Secret of an HTTPS listener of a Gateway.
 */
class OperatorWithChartIdentityIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final String ORPHAN_POLICY =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: RateLimitPolicy
      metadata: {name: orphan}
      spec:
        targetRefs: [{kind: Route, name: missing}]
        limits:
          - {name: all, rate: {requests: 10, period: 1s}}
      """;

  /**
   * What the EndpointSlice controller would make for the example's echo Service (none runs here).
   */
  private static final String ECHO_ENDPOINTS =
      """
      apiVersion: discovery.k8s.io/v1
      kind: EndpointSlice
      metadata:
        name: echo-by-hand
        labels: {kubernetes.io/service-name: echo}
      addressType: IPv4
      ports: [{name: http, port: 8080, protocol: TCP}]
      endpoints:
        - addresses: ["10.1.2.3"]
          conditions: {ready: true}
      """;

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private OperatorProcess operator;

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      System.out.println("operator log (last lines):\n" + operator.logTail());
      operator.close();
    }
  }

  @Test
  void operatorWatchingAllNamespacesNeedsOnlyTheChartsPermissions() throws Exception {
    String namespace = KUBE.api().createNamespace("tollgate");
    // Watching all namespaces, the operator also sees the example Routes the other test applied
    // to `shop`; they list no hosts, so "any host" must be shared or the older ones own it.
    TollgateChart.Render render =
        TollgateChart.render("tg").inNamespace(namespace).set("tenancy.sharedHosts[0]", "*");

    reconcilesTheExamples(render, KUBE.api().createNamespace("shop"));
  }

  /** With operator.watchNamespaces the ClusterRole is bound per namespace: still enough. */
  @Test
  void operatorWatchingSomeNamespacesNeedsOnlyItsRoleBindings() throws Exception {
    String namespace = KUBE.api().createNamespace("tollgate");
    watchedNamespaces();
    TollgateChart.Render render =
        TollgateChart.render("tw").inNamespace(namespace).withValues("watch-namespaces");

    reconcilesTheExamples(render, "shop");
  }

  /**
   * With operator.watchNamespaces the gateway Service's namespace (the release's) is not watched:
   * the operator reads that one Service on its own, as the chart's Role allows, and each Gateway
   * still gets its address.
   */
  @Test
  void gatewaysGetTheGatewayServicesAddressWhenItsNamespaceIsNotWatched() throws Exception {
    KubeApiServer api = KUBE.api();
    GatewayApiCrds.install(api);
    watchedNamespaces();
    TollgateChart.Render render =
        TollgateChart.render("ta")
            .inNamespace(api.createNamespace("tollgate"))
            .withValues("watch-namespaces")
            .set("gatewayAPI.gatewayClass.create", true);
    Service gatewayService =
        api.client()
            .services()
            .inNamespace(render.namespace())
            .resource(render.manifest().get(Service.class, "ta-tollgate-gateway"))
            .create();
    startOperator(render);
    api.kubectl(
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: public}
            spec:
              gatewayClassName: ta-tollgate
              listeners: [{name: http, protocol: HTTP, port: 80}]
            """,
            "apply",
            "-n",
            "shop",
            "-f",
            "-")
        .orThrow();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertOperatorAlive();
              assertThat(
                      api.kubectl(
                              null,
                              "get",
                              "-n",
                              "shop",
                              "gateway",
                              "public",
                              "-o",
                              "jsonpath={.status.addresses[0].value}")
                          .orThrow()
                          .output())
                  .as("Gateway address; operator log:%n%s", operator.logTail())
                  .isEqualTo(gatewayService.getSpec().getClusterIP());
            });
    assertThat(operator.log()).doesNotContainIgnoringCase("forbidden");
  }

  /**
   * HTTPS listeners of Gateways: with gatewayAPI.listenerCertificates.enabled the chart's rules are
   * enough to watch a team's kubernetes.io/tls Secret and write the bundle in the release
   * namespace.
   */
  @Test
  void operatorServingHttpsListenersNeedsOnlyTheChartsPermissions(@TempDir Path dir)
      throws Exception {
    KubeApiServer api = KUBE.api();
    GatewayApiCrds.install(api);
    String team = api.createNamespace("web");
    TollgateChart.Render render =
        TollgateChart.render("tl")
            .inNamespace(api.createNamespace("tollgate"))
            .set("gatewayAPI.listenerCertificates.enabled", true)
            .set("gatewayAPI.gatewayClass.create", true);
    startOperator(render);
    PemPair pair = PemPair.create(dir, "shop.example.com");
    api.kubectl(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: shop-tls}
            type: kubernetes.io/tls
            data: {tls.crt: %s, tls.key: %s}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: public}
            spec:
              gatewayClassName: tl-tollgate
              listeners:
                - name: https
                  protocol: HTTPS
                  port: 443
                  tls: {certificateRefs: [{name: shop-tls}]}
            """
                .formatted(pair.certificateBase64(), pair.keyBase64()),
            "apply",
            "-n",
            team,
            "-f",
            "-")
        .orThrow();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertOperatorAlive();
              Secret bundle =
                  api.client()
                      .secrets()
                      .inNamespace(render.namespace())
                      .withName("tl-tollgate-listener-certificates")
                      .get();
              assertThat(bundle).as("bundle; operator log:%n%s", operator.logTail()).isNotNull();
              assertThat(bundle.getData())
                  .containsEntry(team + ".shop-tls.crt", pair.certificateBase64())
                  .containsEntry(team + ".shop-tls.key", pair.keyBase64());
              assertThat(
                      api.kubectl(
                              null,
                              "get",
                              "-n",
                              team,
                              "gateway",
                              "public",
                              "-o",
                              "jsonpath={.status.listeners[0].conditions[?(@.type==\"Programmed\")].status}")
                          .orThrow()
                          .output())
                  .isEqualTo("True");
            });
    assertThat(operator.log()).doesNotContainIgnoringCase("forbidden");
  }

  /** The namespaces named in values/watch-namespaces.yaml; two tests of this class use them. */
  private static void watchedNamespaces() {
    for (String team : List.of("shop", "billing")) {
      KUBE.api()
          .kubectl(
              "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"%s\"}}"
                  .formatted(team),
              "apply",
              "-f",
              "-")
          .orThrow();
    }
  }

  /**
   * Creates the chart's objects but its workloads and starts the operator jar with the rendered
   * environment, authenticated as the chart's operator ServiceAccount.
   */
  private void startOperator(TollgateChart.Render render) throws Exception {
    KubeApiServer api = KUBE.api();
    String namespace = render.namespace();
    String operatorName = render.release() + "-tollgate-operator";
    RenderedManifest manifest = render.manifest();
    ManifestApplier.create(
        api.client(),
        manifest.objects().stream()
            .filter(o -> !(o instanceof Deployment) && !(o instanceof Service))
            .toList());
    String kubeConfig = ServiceAccountKubeConfig.forServiceAccount(api, namespace, operatorName);
    assertThat(whoAmI(kubeConfig))
        .contains("system:serviceaccount:" + namespace + ":" + operatorName);
    operator = OperatorProcess.start(operatorEnvironment(manifest, operatorName), kubeConfig);
  }

  private void assertOperatorAlive() {
    assertThat(operator.isAlive()).as("operator exited:%n%s", operator.logTail()).isTrue();
  }

  private void reconcilesTheExamples(TollgateChart.Render render, String team) throws Exception {
    KubeApiServer api = KUBE.api();
    String namespace = render.namespace();
    String operatorName = render.release() + "-tollgate-operator";
    startOperator(render);
    api.kubectl(null, applyExamples(team)).orThrow();
    api.kubectl(ECHO_ENDPOINTS, "apply", "-n", team, "-f", "-").orThrow();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertOperatorAlive();
              assertThat(conditions(api, team, "routes", "orders"))
                  .as("Route conditions; operator log:%n%s", operator.logTail())
                  .containsEntry("Accepted", "True")
                  .containsEntry("Programmed", "True");
              assertThat(conditions(api, team, "ratelimitpolicies", "orders-per-user"))
                  .containsEntry("Accepted", "True")
                  .containsEntry("Programmed", "True");
            });
    ConfigKeys keys = new ConfigKeys(render.release());
    // The Route may be Programmed before its EndpointSlice arrived (applied after it): the
    // endpoints follow in a later snapshot.
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              JsonNode route =
                  new ObjectMapper()
                      .readTree(
                          REDIS.server().cli("HGET", keys.entries(), "Route/" + team + "/orders"));
              assertThat(route.at("/name").asText()).isEqualTo("orders");
              assertThat(route.at("/endpoints/0").asText()).isEqualTo("http://10.1.2.3:8080");
            });
    assertThat(
            REDIS
                .server()
                .cli("HEXISTS", keys.entries(), "RateLimitPolicy/" + team + "/orders-per-user"))
        .isEqualTo("1");
    Lease lease = api.client().leases().inNamespace(namespace).withName(operatorName).get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(operatorName + "-0");

    // A policy on a Route that does not exist: the operator reports it with a Warning Event.
    api.kubectl(ORPHAN_POLICY, "apply", "-n", team, "-f", "-").orThrow();
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(api.client().v1().events().inNamespace(team).list().getItems())
                    .as("events; operator log:%n%s", operator.logTail())
                    .anySatisfy(
                        event -> assertThat(event.getReason()).isEqualTo("TargetNotFound")));
    assertThat(operator.log()).doesNotContainIgnoringCase("forbidden");
  }

  private static String[] applyExamples(String namespace) {
    List<String> args = new ArrayList<>(List.of("apply", "-n", namespace));
    for (String file : List.of("01-echo.yaml", "02-routes.yaml", "03-ratelimitpolicies.yaml")) {
      args.add("-f");
      args.add(RepositoryPaths.root().resolve("examples/k8s").resolve(file).toString());
    }
    return args.toArray(String[]::new);
  }

  /** The operator container's environment as rendered, with loopback stand-ins where needed. */
  private static Map<String, String> operatorEnvironment(
      RenderedManifest manifest, String operatorName) {
    var container =
        manifest
            .get(Deployment.class, operatorName)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst();
    Map<String, String> env = new HashMap<>(ContainerEnv.plain(container));
    // The bundled Redis' Service name resolves only in a cluster; the test's Redis, which has no
    // ACL users, stands in: the chart's user goes with it (its password is a Secret's, not here).
    env.put("TOLLGATE_REDIS_URL", REDIS.uri());
    env.remove("TOLLGATE_REDIS_USERNAME");
    // What the downward API fills in from the pod name.
    env.put("TOLLGATE_OPERATOR_IDENTITY", operatorName + "-0");
    env.put("TOLLGATE_OPERATOR_HTTP_HOST", "127.0.0.1");
    env.put("TOLLGATE_OPERATOR_HTTP_PORT", String.valueOf(FreePort.pick()));
    env.put("PATH", System.getenv("PATH"));
    return env;
  }

  private static Map<String, String> conditions(
      KubeApiServer api, String namespace, String plural, String name) {
    GenericKubernetesResource resource =
        api.client()
            .genericKubernetesResources(
                new ResourceDefinitionContext.Builder()
                    .withGroup("tollgate.dev")
                    .withVersion("v1alpha1")
                    .withPlural(plural)
                    .withNamespaced(true)
                    .build())
            .inNamespace(namespace)
            .withName(name)
            .get();
    List<Map<String, Object>> conditions = resource.get("status", "conditions");
    Map<String, String> byType = new HashMap<>();
    if (conditions != null) {
      conditions.forEach(c -> byType.put((String) c.get("type"), (String) c.get("status")));
    }
    return byType;
  }

  private static String whoAmI(String kubeConfig) throws Exception {
    Path file = Files.createTempFile("sa-kubeconfig", ".yaml");
    try {
      Files.writeString(file, kubeConfig);
      return ExternalCommand.run(
              Duration.ofSeconds(30),
              List.of("kubectl", "--kubeconfig", file.toString(), "auth", "whoami"))
          .orThrow()
          .output();
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
