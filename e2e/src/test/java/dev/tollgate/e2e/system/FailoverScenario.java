package dev.tollgate.e2e.system;

import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One Redis fault under load through two gateway processes, measured: the routes of {@code
 * system/failover.yaml} are applied and served, a {@link FailoverLoad} runs, the fault is injected
 * after {@code warmUp}, and once Redis has a new master and both gateways decide from Redis again,
 * the fault is healed (e.g. a paused master resumed) and a config change is applied through the
 * operator, timed until both gateways serve it. The load then runs {@code tail} longer. The ITs
 * assert bounds on the {@link FailoverFigures}; the benchmark prints them with a longer load.
 */
final class FailoverScenario {
  /** The shared limit of /open: never reached, so every 200 there is a decision. */
  private static final int OPEN_LIMIT = 1_000_000;

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  /** What fails, and how the test knows Redis failed over. */
  interface Fault {
    void inject();

    /** Blocks until Redis has a new master. */
    void awaitFailover();

    /** After the gateways decide from Redis again, e.g. resumes a paused master; may do nothing. */
    default void heal() {}
  }

  /**
   * @param perRoutePerSecond offered load per route (three routes, two gateways)
   * @param exact the exactly limited client's requests per 24 h on /closed; pick it so the client
   *     still has some left at the fault and none at the end
   * @param budget the gateways' {@code TOLLGATE_LIMITER_TIMEOUT}
   */
  record Plan(int perRoutePerSecond, int exact, Duration warmUp, Duration tail, Duration budget) {}

  private FailoverScenario() {}

  /** Starts two gateways on {@code system} with the plan's budget. */
  static List<GatewayJar> startGateways(TollgateSystem system, Plan plan) {
    Map<String, String> env = Map.of("TOLLGATE_LIMITER_TIMEOUT", plan.budget().toMillis() + "ms");
    return List.of(system.startGateway("gateway-a", env), system.startGateway("gateway-b", env));
  }

  static FailoverFigures run(
      String scenario, TollgateSystem system, List<GatewayJar> gateways, Plan plan, Fault fault) {
    system.applyFailoverRoutes(plan.exact(), OPEN_LIMIT);
    for (GatewayJar gateway : gateways) {
      gateway.awaitReady(PATIENCE);
      // A poll can meet a pooled connection to an earlier gateway on the same port (the client is
      // shared across tests) and read no bytes; the next poll opens a fresh one.
      await()
          .atMost(PATIENCE)
          .failFast(() -> !gateway.isAlive())
          .ignoreExceptionsInstanceOf(UncheckedIOException.class)
          .until(
              () ->
                  gateway.config().path("snapshot").path("policies").size() == 3
                      && gateway.get("/open/warm").headers().firstValue("RateLimit").isPresent());
    }
    Duration maxRun = plan.warmUp().plus(plan.tail()).plus(PATIENCE.multipliedBy(3));
    try (FailoverLoad load = FailoverLoad.start(gateways, plan.perRoutePerSecond(), maxRun);
        ServedVersions versions = new ServedVersions(gateways, load::now)) {
      hold(plan.warmUp());
      long faultAt = load.now();
      fault.inject();
      fault.awaitFailover();
      long promotedAt = load.now();
      await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> load.redisDecidesAgainSince(promotedAt));
      fault.heal();

      long before = versions.highest().orElse(0);
      system.applyFailoverRoutes(plan.exact(), OPEN_LIMIT + 1);
      // from the moment the API server has the change: kubectl's own start-up is not the system's
      long changeAt = load.now();
      await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> versions.allServeAbove(before));
      Duration configServed = Duration.ofNanos(load.now() - changeAt);

      hold(plan.tail());
      List<FailoverLoad.Sample> samples = load.stop();
      FailoverFigures figures =
          FailoverFigures.of(
              scenario,
              faultAt,
              promotedAt,
              samples,
              load.skipped(),
              plan.exact(),
              configServed,
              versions);
      System.out.print(figures.report());
      System.out.println(figures.tableRow());
      return figures;
    }
  }

  /** Lets the load run; the load is what is measured, this thread only waits for it. */
  private static void hold(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the load ran", e);
    }
  }
}
