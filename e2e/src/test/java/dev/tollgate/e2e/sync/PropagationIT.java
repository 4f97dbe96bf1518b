package dev.tollgate.e2e.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.operator.TollgateOperator;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.List;
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

  @Test
  void limitChangesAndDeletionReachBothGateways() throws Exception {
    SyncFixture.installCrds(KUBE.api());
    String namespace = KUBE.api().createNamespace("propagation");
    try (Upstream upstream = new Upstream();
        KubernetesClient client =
            new KubernetesClientBuilder().withConfig(KUBE.api().clientConfig()).build();
        TollgateOperator operator =
            TollgateOperator.start(
                SyncFixture.operatorSettings(REDIS.uri(), namespace), client, false);
        GatewayProcess first = gateway("gateway-a");
        GatewayProcess second = gateway("gateway-b")) {
      apply(
          namespace,
          SyncFixture.ROUTE.formatted(upstream.url())
              + "---\n"
              + SyncFixture.POLICY.formatted(1000));
      first.awaitReady(PATIENCE);
      second.awaitReady(PATIENCE);
      awaitQuota(List.of(first, second), OptionalInt.of(1000));

      // Three applies back to back: whatever versions the burst produces, both end on the last.
      for (int quota : new int[] {1001, 1002, 1003}) {
        apply(namespace, SyncFixture.POLICY.formatted(quota));
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
    SyncFixture.apply(KUBE.api(), namespace, yaml);
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
