package dev.tollgate.e2e.sync;

import dev.tollgate.operator.TollgateOperator;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.redis.RedisServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How long a changed limit takes from {@code kubectl apply} until it is in force: the API server
 * (real kube-apiserver + etcd), the operator in-process with its production defaults (150 ms
 * debounce), a real Redis, a subscriber that reads the snapshot the way a gateway does (pub/sub
 * announcement, then GET), and two gateway processes from their jar, whose answers say which quota
 * they apply ({@code RateLimit-Policy: "per-client";q=...}). Each change waits until the previous
 * one is in force everywhere, then pauses, as changes from people or a GitOps tool come.
 *
 * <p>Run: {@code ./mvnw -pl e2e test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.tollgate.e2e.sync.PropagationBenchmark -Dexec.args=100} (the gateway jar
 * must be packaged first).
 */
public final class PropagationBenchmark {
  /**
   * Quotas far above what the probes send (two gateways probing every millisecond at most), so
   * probes are never refused and only the announced quota changes.
   */
  private static final int BASE_QUOTA = 100_000;

  /**
   * Pause between changes: longer than the writer's pacing reset (twice its 600 ms first gap), so
   * each change is measured on its own, not as part of a burst.
   */
  private static final Duration PAUSE = Duration.ofMillis(1500);

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private PropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    String loadBefore = loadAverage();
    try (KubeApiServer api = KubeApiServer.start();
        RedisServer redis = RedisServer.start();
        Upstream upstream = new Upstream()) {
      SyncFixture.installCrds(api);
      String namespace = api.createNamespace("bench");
      try (KubernetesClient client =
              new KubernetesClientBuilder().withConfig(api.clientConfig()).build();
          TollgateOperator operator =
              TollgateOperator.start(
                  SyncFixture.operatorSettings(redis.uri(), namespace), client, false);
          SnapshotWatcher watcher = new SnapshotWatcher(redis.uri(), "default");
          PolicyWatch events = new PolicyWatch(client, namespace);
          GatewayProcess first = gateway(redis, "gateway-a");
          GatewayProcess second = gateway(redis, "gateway-b");
          ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
        SyncFixture.apply(
            api,
            namespace,
            SyncFixture.ROUTE.formatted(upstream.url())
                + "---\n"
                + SyncFixture.POLICY.formatted(BASE_QUOTA));
        first.awaitReady(PATIENCE);
        second.awaitReady(PATIENCE);

        List<Double> toRedis = new ArrayList<>();
        List<Double> toGateways = new ArrayList<>();
        List<Double> kubectl = new ArrayList<>();
        List<Double> eventToGateways = new ArrayList<>();
        for (int i = 1; i <= changes; i++) {
          // Pacing the load, not synchronisation: arrivals are awaited below.
          TimeUnit.MILLISECONDS.sleep(PAUSE.toMillis());
          int quota = BASE_QUOTA + i;
          watcher.reset();
          long started = System.nanoTime();
          Future<Long> inFirst = probes.submit(() -> awaitQuota(first, quota));
          Future<Long> inSecond = probes.submit(() -> awaitQuota(second, quota));
          SyncFixture.apply(api, namespace, SyncFixture.POLICY.formatted(quota));
          long applied = System.nanoTime();
          long announced =
              watcher.awaitSnapshot(json -> json.contains("\"requests\":" + quota), PATIENCE);
          long enforced = Math.max(inFirst.get(), inSecond.get());
          long seen = events.awaitSeen(quota, PATIENCE);
          kubectl.add(millis(applied - started));
          toRedis.add(millis(announced - started));
          toGateways.add(millis(enforced - started));
          eventToGateways.add(millis(enforced - seen));
        }
        System.out.printf(
            "%n%d changes, %s apart; load average before %s, after %s%n%n",
            changes, PAUSE, loadBefore, loadAverage());
        System.out.println(
            "| from `kubectl apply` of a changed limit until | n | p50 ms | p90 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.println(Percentiles.of(kubectl).row("`kubectl apply` returns"));
        System.out.println(Percentiles.of(toRedis).row("the new snapshot is announced in Redis"));
        System.out.println(Percentiles.of(toGateways).row("both gateways enforce the new limit"));
        System.out.println(
            Percentiles.of(eventToGateways)
                .row("(from the API server's watch event to both gateways enforcing)"));
      }
    }
  }

  private static GatewayProcess gateway(RedisServer redis, String podId) throws IOException {
    return GatewayProcess.start(SyncPaths.gatewayJar(), redis.uri(), podId, "/orders");
  }

  /** Probes one gateway until its answers carry {@code quota}; returns when (nanoTime). */
  private static long awaitQuota(GatewayProcess gateway, int quota) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (gateway.enforcedQuota().orElse(-1) == quota) {
        return System.nanoTime();
      }
      // One probe per millisecond at most: the measurement's resolution, and a load that leaves
      // the machine to the system under test.
      TimeUnit.MILLISECONDS.sleep(1);
    }
    throw new IllegalStateException("quota " + quota + " not enforced within " + PATIENCE);
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  /** The machine is shared: the load average says how much of it the benchmark had. */
  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).strip();
  }
}
