package dev.tollgate.e2e.system;

import dev.tollgate.testkit.ProcessCounters;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.redis.RedisServer;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How long a changed limit takes from {@code kubectl apply} until <em>both</em> of two gateway
 * processes enforce it: real kube-apiserver + etcd driven with the real {@code kubectl}, the
 * operator in-process with its production defaults (150 ms debounce), a real Redis, gateways from
 * their jar (config poll interval at its 1 s default). "Enforce" is seen from outside: a request
 * through each gateway carries the new quota in its {@code RateLimit-Policy} field. Each gateway is
 * probed every {@value #PROBE_MILLIS} ms, which bounds the resolution.
 *
 * <p>Besides the end-to-end figure it breaks the path down: when {@code kubectl apply} returned,
 * when the API server's watch event arrived (the earliest the operator can know), and when the new
 * snapshot was announced in Redis (read by a subscriber the way a gateway reads it). Each change
 * waits until the previous one is in force everywhere, then pauses, as changes from people or a
 * GitOps tool come.
 *
 * <p>Run from the repository root (builds the gateway jar and writes the test classpath, then runs
 * the main; the argument is the number of changes):
 *
 * <pre>
 * ./mvnw -B -ntp -pl e2e -am package dependency:build-classpath -DskipTests \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/tollgate-e2e-classpath.txt
 * java -cp e2e/target/test-classes:$(cat /tmp/tollgate-e2e-classpath.txt) \
 *     dev.tollgate.e2e.system.PropagationBenchmark 100
 * </pre>
 */
public final class PropagationBenchmark {
  private static final long PROBE_MILLIS = 5;

  /**
   * Pause between changes: longer than the writer's pacing reset (twice its 600 ms first gap), so
   * each change is measured on its own, not as part of a burst the operator debounces and paces.
   */
  private static final Duration PAUSE = Duration.ofMillis(1500);

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** High enough that the probes never exhaust the bucket. */
  private static final int BASE_LIMIT = 1_000_000;

  private PropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    String loadBefore = ProcessCounters.loadAverage();
    try (KubeApiServer api = KubeApiServer.start();
        RedisServer redis = RedisServer.start();
        TollgateSystem system = TollgateSystem.start(api, redis, "5s");
        SnapshotWatcher watcher = new SnapshotWatcher(redis.uri(), TollgateSystem.GATEWAY_NAME);
        PolicyWatch events = new PolicyWatch(api.client(), system.namespace());
        ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
      List<GatewayJar> gateways =
          List.of(system.startGateway("gateway-a"), system.startGateway("gateway-b"));
      system.applyOrders(BASE_LIMIT);
      for (GatewayJar gateway : gateways) {
        gateway.awaitReady(Duration.ofSeconds(60));
      }
      awaitQuota(gateways, BASE_LIMIT, probes).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

      List<Double> kubectl = new ArrayList<>();
      List<Double> announced = new ArrayList<>();
      List<Double> bothEnforce = new ArrayList<>();
      List<Double> afterKubectl = new ArrayList<>();
      List<Double> afterWatchEvent = new ArrayList<>();
      for (int i = 1; i <= changes; i++) {
        // Pacing the changes, not synchronisation: arrival is awaited by probing below.
        Thread.sleep(PAUSE.toMillis());
        int limit = BASE_LIMIT + i;
        watcher.reset();
        long started = System.nanoTime();
        // Probing starts before the apply: a fast chain may enforce before kubectl has exited.
        Future<Long> enforcedAt = awaitQuota(gateways, limit, probes);
        system.applyLimit(limit);
        long applied = System.nanoTime();
        long announcedAt =
            watcher.awaitSnapshot(json -> json.contains("\"requests\":" + limit), PATIENCE);
        long enforced = enforcedAt.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        long seen = events.awaitSeen(limit, PATIENCE);
        kubectl.add(millis(applied - started));
        announced.add(millis(announcedAt - started));
        bothEnforce.add(millis(enforced - started));
        afterKubectl.add(millis(enforced - applied));
        afterWatchEvent.add(millis(enforced - seen));
        System.out.printf("change %d: %.0f ms%n", i, millis(enforced - started));
      }
      System.out.printf(
          "%n%d changes, %s apart, probes every %d ms; load average before %s, after %s%n%n",
          changes, PAUSE, PROBE_MILLIS, loadBefore, ProcessCounters.loadAverage());
      System.out.println(
          "| from `kubectl apply` of a changed limit until | n | p50 ms | p90 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|");
      System.out.println(Percentiles.of(kubectl).row("`kubectl apply` returns"));
      System.out.println(Percentiles.of(announced).row("the new snapshot is announced in Redis"));
      System.out.println(Percentiles.of(bothEnforce).row("both gateways enforce the new limit"));
      System.out.println(
          Percentiles.of(afterKubectl)
              .row("(from `kubectl apply` returning to both gateways enforcing)"));
      System.out.println(
          Percentiles.of(afterWatchEvent)
              .row("(from the API server's watch event to both gateways enforcing)"));
    }
  }

  /** Probes every gateway until each shows {@code quota}; completes when the last one did. */
  private static Future<Long> awaitQuota(
      List<GatewayJar> gateways, int quota, ExecutorService probes) {
    List<Future<Long>> seen = new ArrayList<>();
    for (GatewayJar gateway : gateways) {
      seen.add(probes.submit(() -> probeUntil(gateway, quota)));
    }
    return probes.submit(
        () -> {
          long last = 0;
          for (Future<Long> f : seen) {
            last = Math.max(last, f.get());
          }
          return last;
        });
  }

  /** Returns when (nanoTime) the gateway's answer first carried {@code quota}. */
  private static long probeUntil(GatewayJar gateway, int quota) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (gateway.enforcedQuota("/orders/probe").orElse(-1) == quota) {
          return System.nanoTime();
        }
      } catch (UncheckedIOException e) {
        // still starting: not listening yet
      }
      // Pacing the probes (their interval bounds the resolution), not synchronisation.
      Thread.sleep(PROBE_MILLIS);
    }
    throw new IllegalStateException(
        gateway.podId() + " never enforced quota " + quota + ":\n" + gateway.logTail());
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
