package dev.tollgate.e2e.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.e2e.system.FailoverLoad.Route;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisSentinelTopology;
import dev.tollgate.testkit.redis.RedisServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sentinel failover under load (1 master, 1 replica, 3 sentinels; two gateway processes; the
 * operator with leader election on the real API server): the master is killed, or paused past the
 * failover and then resumed so Sentinel demotes it to a replica. Asserted: no 5xx on the fail-open
 * and fail-local routes; Redis decides again after the failover (how long that took is printed, not
 * asserted); the exactly limited client admitted at most {@link #OVER_ADMISSION_BOUND} beyond its
 * allowance; a config change after the failover served by both gateways within 5 s; no version ever
 * served lower than before; the operator's fenced write landed on the new master.
 */
class SentinelFailoverIT {
  /**
   * 40 requests/s per route; the exact client has 400 (200 left at the fault). Budget 2 s, as in
   * the other e2e tests: with 1 s, 36 decisions outside the failover missed their budget on a
   * loaded 2-core machine and answered 503 where this test asserts none.
   */
  static final FailoverScenario.Plan PLAN =
      new FailoverScenario.Plan(
          40, 400, Duration.ofSeconds(5), Duration.ofSeconds(6), Duration.ofSeconds(2));

  /**
   * Counters the old master acknowledged but had not yet replicated are lost: at most what the
   * client was admitted during the replication lag at the fault (well under 1 ms on loopback, 40
   * requests/s here), so 0 is expected; 3 leaves room for a request in flight at the fault.
   */
  static final long OVER_ADMISSION_BOUND = 3;

  static final Duration CONFIG_SERVED_BOUND = Duration.ofSeconds(5);

  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  @Test
  void killedMasterIsFollowedWithinBounds() {
    try (RedisSentinelTopology redis = RedisSentinelTopology.start();
        TollgateSystem system = TollgateSystem.start(KUBE.api(), redis.uri(), "1s", true)) {
      List<GatewayJar> gateways = FailoverScenario.startGateways(system, PLAN);

      FailoverFigures figures =
          FailoverScenario.run(
              "sentinel: master SIGKILL", system, gateways, PLAN, RedisFaults.killMaster(redis));

      assertWithinBounds(figures, gateways);
      assertThat(RedisFaults.fence(redis.master())).as("fence on the new master").isPositive();
    }
  }

  @Test
  void masterPausedPastTheFailoverIsFollowedAndComesBackAsReplica() {
    try (RedisSentinelTopology redis = RedisSentinelTopology.start();
        TollgateSystem system = TollgateSystem.start(KUBE.api(), redis.uri(), "1s", true)) {
      List<GatewayJar> gateways = FailoverScenario.startGateways(system, PLAN);
      RedisServer master = redis.master();

      FailoverFigures figures =
          FailoverScenario.run(
              "sentinel: master SIGSTOP, SIGCONT after the failover",
              system,
              gateways,
              PLAN,
              RedisFaults.pauseMaster(redis));

      assertWithinBounds(figures, gateways);
      assertThat(RedisFaults.fence(redis.master())).as("fence on the new master").isPositive();
      assertThat(master.cli("ROLE")).startsWith("slave");
    }
  }

  /** The fail-open and fail-local routes answered every request, none with a 5xx. */
  static void assertNoServerErrorsWhereRedisIsOptional(FailoverFigures figures, String context) {
    for (Route route : List.of(Route.OPEN, Route.LOCAL)) {
      FailoverFigures.RouteFigures r = figures.routes().get(route);
      assertThat(r.unavailable() + r.otherServerErrors() + r.transportErrors())
          .as(route + " answered every request without a 5xx\n" + context)
          .isZero();
    }
  }

  static void assertWithinBounds(FailoverFigures figures, List<GatewayJar> gateways) {
    String context = figures.report() + gateways.getFirst().logTail();
    assertNoServerErrorsWhereRedisIsOptional(figures, context);
    FailoverFigures.RouteFigures closed = figures.routes().get(Route.CLOSED);
    assertThat(closed.otherServerErrors() + closed.transportErrors()).as(context).isZero();
    // How long the outage lasted, and the decisions outside it that missed their budget on a
    // loaded machine, are printed (docs/benchmarks.md), not asserted: both depend on the machine.
    assertThat(figures.redisAgainAfter())
        .as("Redis decides again after the failover\n" + context)
        .isLessThan(Duration.ofDays(1));
    assertThat(figures.overAdmission()).as(context).isLessThanOrEqualTo(OVER_ADMISSION_BOUND);
    assertThat(figures.configServedAfter()).as(context).isLessThanOrEqualTo(CONFIG_SERVED_BOUND);
    assertThat(figures.rollbacks()).as(context).isEmpty();
    assertThat(figures.versionsAfter()).as(context).isGreaterThan(figures.versionsBefore());
  }
}
