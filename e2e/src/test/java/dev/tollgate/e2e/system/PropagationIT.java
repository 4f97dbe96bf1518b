package dev.tollgate.e2e.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
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

  /** Far above what the probes consume, so answers always carry the quota, never a refusal. */
  private static final int BASE_LIMIT = 100_000;

  @Test
  void limitChangesAndDeletionReachBothGateways() {
    try (TollgateSystem system = TollgateSystem.start(KUBE.api(), REDIS.server(), "5s")) {
      List<GatewayJar> gateways =
          List.of(system.startGateway("gateway-a"), system.startGateway("gateway-b"));
      system.applyOrders(BASE_LIMIT);
      for (GatewayJar gateway : gateways) {
        gateway.awaitReady(Duration.ofSeconds(60));
      }
      awaitQuota(gateways, OptionalInt.of(BASE_LIMIT));

      // Three applies back to back: whatever versions the burst produces, both end on the last.
      for (int limit : new int[] {BASE_LIMIT + 1, BASE_LIMIT + 2, BASE_LIMIT + 3}) {
        system.applyLimit(limit);
      }
      awaitQuota(gateways, OptionalInt.of(BASE_LIMIT + 3));

      system.delete("ratelimitpolicy", "orders-total");
      awaitQuota(gateways, OptionalInt.empty());
    }
  }

  /** Waits until every gateway answers with {@code quota} (empty: no limit applies). */
  private static void awaitQuota(List<GatewayJar> gateways, OptionalInt quota) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              for (GatewayJar gateway : gateways) {
                assertThat(gateway.enforcedQuota("/orders/probe"))
                    .as(gateway.podId())
                    .isEqualTo(quota);
              }
            });
  }
}
