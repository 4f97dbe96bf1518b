package dev.tollgate.e2e.system;

import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.redis.RedisServer;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How long a changed limit takes from {@code kubectl apply} until <em>both</em> of two gateway
 * processes enforce it: real kube-apiserver + etcd, the operator in-process with its production
 * defaults, a real Redis, gateways from their jar (config poll interval at its 1 s default).
 * "Enforce" is seen from outside: a request through each gateway carries the new quota in its
 * {@code RateLimit-Policy} field. Each gateway is probed every {@value #PROBE_MILLIS} ms, which
 * bounds the resolution.
 *
 * <p>Run from the repository root (builds the gateway jar and writes the test classpath, then runs
 * the main; the argument is the number of changes):
 *
 * <pre>
 * ./mvnw -B -ntp -pl e2e -am package dependency:build-classpath -DskipTests \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/tollgate-e2e-classpath.txt
 * java -cp e2e/target/test-classes:$(cat /tmp/tollgate-e2e-classpath.txt) \
 *     dev.tollgate.e2e.system.GatewayPropagationBenchmark 100
 * </pre>
 */
public final class GatewayPropagationBenchmark {
  private static final long PROBE_MILLIS = 5;

  /**
   * Pause between changes, so each is measured on its own rather than inside a burst the operator
   * debounces (150 ms quiet period) and paces.
   */
  private static final Duration PAUSE = Duration.ofMillis(1500);

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** High enough that the probes never exhaust the bucket. */
  private static final int BASE_LIMIT = 1_000_000;

  private GatewayPropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    try (KubeApiServer api = KubeApiServer.start();
        RedisServer redis = RedisServer.start();
        TollgateSystem system = TollgateSystem.start(api, redis, "5s");
        ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
      List<GatewayJar> gateways =
          List.of(system.startGateway("gateway-a"), system.startGateway("gateway-b"));
      system.applyOrders(BASE_LIMIT);
      awaitQuota(gateways, BASE_LIMIT, probes);

      List<Double> bothEnforce = new ArrayList<>();
      List<Double> kubectl = new ArrayList<>();
      List<Double> afterKubectl = new ArrayList<>();
      for (int i = 1; i <= changes; i++) {
        // Pacing the changes, not synchronisation: arrival is awaited by probing below.
        Thread.sleep(PAUSE.toMillis());
        int limit = BASE_LIMIT + i;
        long started = System.nanoTime();
        system.applyLimit(limit);
        long applied = System.nanoTime();
        long enforced = awaitQuota(gateways, limit, probes);
        bothEnforce.add((enforced - started) / 1e6);
        kubectl.add((applied - started) / 1e6);
        afterKubectl.add((enforced - applied) / 1e6);
        System.out.printf("change %d: %.0f ms%n", i, (enforced - started) / 1e6);
      }
      System.out.println();
      System.out.println(
          "| from `kubectl apply` of a changed limit to | n | p50 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|");
      System.out.println(row("both gateways enforce it", bothEnforce));
      System.out.println(row("(`kubectl apply` itself returning)", kubectl));
      System.out.println(row("(from `kubectl apply` returning to both enforcing)", afterKubectl));
    }
  }

  /** Probes every gateway until each shows {@code quota}; returns when the last one did. */
  private static long awaitQuota(List<GatewayJar> gateways, int quota, ExecutorService probes)
      throws Exception {
    List<Future<Long>> seen = new ArrayList<>();
    for (GatewayJar gateway : gateways) {
      seen.add(probes.submit(() -> probeUntil(gateway, quota)));
    }
    long last = 0;
    for (Future<Long> f : seen) {
      last = Math.max(last, f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
    }
    return last;
  }

  private static long probeUntil(GatewayJar gateway, int quota) throws InterruptedException {
    String expected = "\"total\";q=" + quota + ";";
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = gateway.get("/orders/probe");
        long now = System.nanoTime();
        if (response.headers().firstValue("RateLimit-Policy").orElse("").startsWith(expected)) {
          return now;
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

  /** Nearest-rank percentiles of {@code millis}. */
  private static String row(String what, List<Double> millis) {
    List<Double> sorted = millis.stream().sorted().toList();
    int n = sorted.size();
    return String.format(
        "| %s | %d | %.0f | %.0f | %.0f |",
        what,
        n,
        sorted.get((int) Math.ceil(0.50 * n) - 1),
        sorted.get((int) Math.ceil(0.99 * n) - 1),
        sorted.get(n - 1));
  }
}
