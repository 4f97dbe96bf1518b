package dev.tollgate.e2e.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.operator.TollgateOperator;
import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code kubectl} does to a policy reaches both of two gateway processes through the operator
 * and Redis: a burst of limit changes converges on the last one everywhere, and deleting the policy
 * lifts the limit on both.
 */
class PropagationIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final String POLICY =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: RateLimitPolicy
      metadata: {name: orders-limit}
      spec:
        targetRefs: [{kind: Route, name: orders}]
        limits:
          - name: per-client
            rate: {requests: %d, period: 1s}
      """;

  @Test
  void limitChangesAndDeletionReachBothGateways() throws Exception {
    KUBE.api().kubectl(null, "apply", "-f", SyncPaths.crds().toString()).orThrow();
    KUBE.api()
        .kubectl(null, "wait", "--for=condition=Established", "--timeout=60s", "crd", "--all")
        .orThrow();
    String namespace = KUBE.api().createNamespace("propagation");
    OperatorSettings settings =
        OperatorSettings.from(
            Map.of(
                OperatorSettings.REDIS_URL, REDIS.uri(),
                OperatorSettings.WATCH_NAMESPACES, namespace,
                OperatorSettings.LEADER_ELECTION, "false",
                OperatorSettings.HTTP_HOST, "127.0.0.1",
                OperatorSettings.HTTP_PORT, "0"));
    try (Upstream upstream = new Upstream();
        KubernetesClient client =
            new KubernetesClientBuilder().withConfig(KUBE.api().clientConfig()).build();
        TollgateOperator operator = TollgateOperator.start(settings, client, false);
        GatewayProcess first = gateway("gateway-a");
        GatewayProcess second = gateway("gateway-b")) {
      apply(
          namespace,
          """
          apiVersion: tollgate.dev/v1alpha1
          kind: Route
          metadata: {name: orders}
          spec:
            match: {pathPrefix: /orders}
            backend: {endpoints: ["%s"]}
          ---
          """
                  .formatted(upstream.url())
              + POLICY.formatted(1000));
      first.awaitReady(PATIENCE);
      second.awaitReady(PATIENCE);
      awaitQuota(List.of(first, second), OptionalInt.of(1000));

      // Three applies back to back: whatever versions the burst produces, both end on the last.
      for (int quota : new int[] {1001, 1002, 1003}) {
        apply(namespace, POLICY.formatted(quota));
      }
      awaitQuota(List.of(first, second), OptionalInt.of(1003));

      KUBE.api()
          .kubectl(null, "-n", namespace, "delete", "ratelimitpolicy", "orders-limit")
          .orThrow();
      awaitQuota(List.of(first, second), OptionalInt.empty());
    }
  }

  private static GatewayProcess gateway(String podId) throws Exception {
    return GatewayProcess.start(SyncPaths.gatewayJar(), REDIS.uri(), podId, "/orders");
  }

  private static void apply(String namespace, String yaml) {
    KUBE.api().kubectl(yaml, "-n", namespace, "apply", "-f", "-").orThrow();
  }

  /** Waits until every gateway answers with {@code quota} (empty: no limit applies). */
  private static void awaitQuota(List<GatewayProcess> gateways, OptionalInt quota) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              for (GatewayProcess gateway : gateways) {
                assertThat(gateway.enforcedQuota()).isEqualTo(quota);
              }
            });
  }
}
