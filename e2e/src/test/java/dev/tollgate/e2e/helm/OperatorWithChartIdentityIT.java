package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real operator jar, configured with the environment the chart renders for it and authenticated
 * as the chart's operator ServiceAccount (a bound token), on an API server that enforces RBAC: it
 * elects itself leader on its Lease, reconciles the example Route and RateLimitPolicy to Accepted
 * and Programmed, writes the snapshot to Redis and records an Event — so the chart's ClusterRole
 * and Role are enough for everything it does.
 */
class OperatorWithChartIdentityIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final String RELEASE = "tg";
  private static final String OPERATOR = "tg-tollgate-operator";
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
  void operatorReconcilesRoutesAndPoliciesWithOnlyTheChartsPermissions() throws Exception {
    KubeApiServer api = KUBE.api();
    String namespace = api.createNamespace("tollgate");
    RenderedManifest manifest = TollgateChart.render(RELEASE).inNamespace(namespace).manifest();
    List<HasMetadata> withoutWorkloads =
        manifest.objects().stream()
            .filter(o -> !(o instanceof Deployment) && !(o instanceof Service))
            .toList();
    ManifestApplier.create(api.client(), withoutWorkloads);
    String shop = api.createNamespace("shop");

    String kubeConfig = ServiceAccountKubeConfig.forServiceAccount(api, namespace, OPERATOR);
    assertThat(whoAmI(api, kubeConfig))
        .contains("system:serviceaccount:" + namespace + ":" + OPERATOR);
    operator = OperatorProcess.start(operatorEnvironment(manifest), kubeConfig);

    api.kubectl(
            null,
            "apply",
            "-n",
            shop,
            "-f",
            example("01-service.yaml"),
            "-f",
            example("02-endpointslice.yaml"),
            "-f",
            example("03-route.yaml"),
            "-f",
            example("04-ratelimitpolicy.yaml"))
        .orThrow();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(operator.isAlive())
                  .as("operator exited:%n%s", operator.logTail())
                  .isTrue();
              assertThat(conditions(api, shop, "routes", "orders"))
                  .as("Route conditions; operator log:%n%s", operator.logTail())
                  .containsEntry("Accepted", "True")
                  .containsEntry("Programmed", "True");
              assertThat(conditions(api, shop, "ratelimitpolicies", "orders-per-user"))
                  .containsEntry("Accepted", "True")
                  .containsEntry("Programmed", "True");
            });

    JsonNode snapshot =
        new ObjectMapper().readTree(REDIS.server().cli("GET", "tollgate:tg:config"));
    assertThat(snapshot.at("/routes/0/name").asText()).isEqualTo("orders");
    assertThat(snapshot.at("/routes/0/endpoints/0").asText()).isEqualTo("http://10.1.2.3:8080");
    assertThat(snapshot.at("/policies/0/name").asText()).isEqualTo("orders-per-user");
    Lease lease =
        api.client().leases().inNamespace(namespace).withName("tg-tollgate-operator").get();
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("tg-tollgate-operator-0");

    // A policy on a Route that does not exist: the operator reports it with a Warning Event.
    api.kubectl(
            "apiVersion: tollgate.dev/v1alpha1\nkind: RateLimitPolicy\nmetadata: {name: orphan}\n"
                + "spec:\n  targetRefs: [{kind: Route, name: missing}]\n  limits:\n"
                + "    - {name: all, rate: {requests: 10, period: 1s}}\n",
            "apply",
            "-n",
            shop,
            "-f",
            "-")
        .orThrow();
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(api.client().v1().events().inNamespace(shop).list().getItems())
                    .as("events; operator log:%n%s", operator.logTail())
                    .anySatisfy(
                        event -> assertThat(event.getReason()).isEqualTo("TargetNotFound")));
    assertThat(operator.log()).doesNotContainIgnoringCase("forbidden");
  }

  /** The operator container's environment as rendered, with loopback stand-ins where needed. */
  private static Map<String, String> operatorEnvironment(RenderedManifest manifest) {
    var container =
        manifest
            .get(Deployment.class, OPERATOR)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst();
    Map<String, String> env = new HashMap<>(ContainerEnv.plain(container));
    // The bundled Redis' Service name resolves only in a cluster; the test's Redis stands in.
    env.put("TOLLGATE_REDIS_URL", REDIS.uri());
    // What the downward API fills in from the pod name.
    env.put("TOLLGATE_OPERATOR_IDENTITY", "tg-tollgate-operator-0");
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

  private static String whoAmI(KubeApiServer api, String kubeConfig) throws Exception {
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

  private static String example(String name) {
    return RepositoryPaths.root().resolve("examples/k8s").resolve(name).toString();
  }
}
