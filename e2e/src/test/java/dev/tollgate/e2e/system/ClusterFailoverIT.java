package dev.tollgate.e2e.system;

import static dev.tollgate.e2e.system.SentinelFailoverIT.PLAN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisCluster;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis Cluster failover under load (3 masters + 3 replicas, two gateway processes, the operator
 * with leader election): the master that owns the config slot ({@code {e2e}}) is killed, and in a
 * second run the master that owns the exactly limited client's limiter slot. The same bounds as
 * {@link SentinelFailoverIT}: no 5xx on fail-open and fail-local routes, Redis deciding again after
 * the failover, over-admission within the bound, a config change served within 5 s after the
 * failover, no version rollback, the fence on the new owner.
 */
class ClusterFailoverIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  @Test
  void killedOwnerOfTheConfigSlotIsFollowedWithinBounds() {
    run("cluster: master of the config slot SIGKILL", RedisFaults::killConfigSlotOwner);
  }

  @Test
  void killedOwnerOfTheLimiterSlotIsFollowedWithinBounds() {
    run(
        "cluster: master of the exact client's limiter slot SIGKILL",
        RedisFaults::killLimiterSlotOwner);
  }

  private static void run(String scenario, Function<RedisCluster, FailoverScenario.Fault> fault) {
    try (RedisCluster redis = RedisCluster.start(3, 1);
        TollgateSystem system = TollgateSystem.start(KUBE.api(), redis.uri(), "1s", true)) {
      List<GatewayJar> gateways = FailoverScenario.startGateways(system, PLAN);

      FailoverFigures figures =
          FailoverScenario.run(scenario, system, gateways, PLAN, fault.apply(redis));

      SentinelFailoverIT.assertWithinBounds(figures, gateways);
      assertThat(RedisFaults.fence(redis.masterOwning(RedisFaults.CONFIG_KEY)))
          .as("fence on the config slot's owner")
          .isPositive();
    }
  }
}
