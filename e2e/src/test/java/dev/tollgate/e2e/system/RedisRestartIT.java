package dev.tollgate.e2e.system;

import static dev.tollgate.e2e.system.SentinelFailoverIT.PLAN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bundled Redis (no persistence) crashes and restarts empty under load: gateways keep serving
 * the config they have (no 5xx on fail-open and fail-local routes, the served version never goes
 * back or away), the operator notices the vanished snapshot and writes it again under a higher
 * version within {@link #REWRITE_BOUND}, and the limiter starts over: the exactly limited client is
 * admitted its allowance again after the restart (documented in docs/limiter.md).
 */
class RedisRestartIT {
  /** The operator's 2 s verify, its debounce and one write, with room for a busy machine. */
  private static final Duration REWRITE_BOUND = Duration.ofSeconds(10);

  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  @Test
  void gatewaysKeepServingAndTheOperatorRewritesTheSnapshotAfterARestartWithoutPersistence() {
    try (RedisServer redis = RedisServer.start();
        TollgateSystem system = TollgateSystem.start(KUBE.api(), redis.uri(), "1s", true)) {
      List<GatewayJar> gateways = FailoverScenario.startGateways(system, PLAN);

      FailoverFigures figures =
          FailoverScenario.run(
              "standalone: restart without persistence",
              system,
              gateways,
              PLAN,
              RedisFaults.restartEmpty(redis, REWRITE_BOUND));

      String context = figures.report() + gateways.getFirst().logTail();
      SentinelFailoverIT.assertNoServerErrorsWhereRedisIsOptional(figures, context);
      assertThat(figures.rollbacks()).as(context).isEmpty();
      assertThat(figures.versionsAfter()).as(context).isGreaterThan(figures.versionsBefore());
      assertThat(figures.configServedAfter())
          .as(context)
          .isLessThanOrEqualTo(SentinelFailoverIT.CONFIG_SERVED_BOUND);
      // The limiter started over: the client's spent allowance came back with the empty Redis.
      assertThat(figures.admitted()).as(context).isGreaterThan(figures.allowance());
      // Whether a gateway reads the empty Redis at all is a race with the operator's rewrite (the
      // operator won it in about 300 ms once, before either gateway reconnected); serving on
      // through an empty Redis is RedisConfigSourceIT's, which empties it deterministically.
    }
  }
}
