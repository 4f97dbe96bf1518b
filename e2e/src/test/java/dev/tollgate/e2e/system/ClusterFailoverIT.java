package dev.tollgate.e2e.system;

import static dev.tollgate.e2e.system.SentinelFailoverIT.PLAN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisCluster;
import dev.tollgate.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis Cluster failover under load (3 masters + 3 replicas, two gateway processes, the operator
 * with leader election): the master that owns the config slot ({@code {e2e}}) is killed, and in a
 * second run the master that owns the exactly limited client's limiter slot. The same bounds as
 * {@link SentinelFailoverIT}: no 5xx on fail-open and fail-local routes, 503s only until the
 * promotion plus {@link SentinelFailoverIT#FOLLOW_BOUND}, over-admission within the bound, a config
 * change served within 5 s after the failover, no version rollback, the fence on the new owner.
 */
class ClusterFailoverIT {
  private static final Duration FAILOVER = Duration.ofSeconds(60);
  private static final String CONFIG_KEY = "tollgate:{" + TollgateSystem.GATEWAY_NAME + "}:config";

  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  @Test
  void killedOwnerOfTheConfigSlotIsFollowedWithinBounds() {
    FailoverFigures figures =
        run("cluster: master of the config slot SIGKILL", cluster -> CONFIG_KEY);
    assertThat(figures.scenario()).isNotEmpty();
  }

  @Test
  void killedOwnerOfTheLimiterSlotIsFollowedWithinBounds() {
    run(
        "cluster: master of the exact client's limiter slot SIGKILL",
        cluster -> {
          List<String> keys =
              cluster.keys("tollgate:" + TollgateSystem.GATEWAY_NAME + ":rl:*/closed/exact:*");
          assertThat(keys).as("the exact client's limiter key").hasSize(1);
          return keys.getFirst();
        });
  }

  /**
   * @param victimKey the key whose slot owner is killed, looked up at the fault
   */
  private static FailoverFigures run(String scenario, Function<RedisCluster, String> victimKey) {
    try (RedisCluster redis = RedisCluster.start(3, 1);
        TollgateSystem system = TollgateSystem.start(KUBE.api(), redis.uri(), "1s", true)) {
      List<GatewayJar> gateways = FailoverScenario.startGateways(system, PLAN);
      AtomicReference<RedisServer> victim = new AtomicReference<>();
      AtomicReference<String> key = new AtomicReference<>();

      FailoverFigures figures =
          FailoverScenario.run(
              scenario,
              system,
              gateways,
              PLAN,
              new FailoverScenario.Fault() {
                @Override
                public void inject() {
                  key.set(victimKey.apply(redis));
                  victim.set(redis.masterOwning(key.get()));
                  System.out.printf(
                      "killing %s (owns %s; config slot owner %s)%n",
                      victim.get().port(), key.get(), redis.masterOwning(CONFIG_KEY).port());
                  victim.get().kill();
                }

                @Override
                public void awaitFailover() {
                  redis.awaitFailover(victim.get(), key.get(), FAILOVER);
                }
              });

      SentinelFailoverIT.assertWithinBounds(figures, gateways);
      SentinelFailoverIT.assertFencedWritesLanded(redis.masterOwning(CONFIG_KEY));
      return figures;
    }
  }
}
