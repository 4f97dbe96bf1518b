package dev.tollgate.e2e.system;

import dev.tollgate.api.common.ApiYaml;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.testkit.ProcessCounters;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.redis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An edit among many: how long a changed limit takes from {@code kubectl apply} until both of two
 * gateway processes enforce it when the instance holds 10,000 Routes and 10,000 policies (real
 * kube-apiserver + etcd, the operator in-process with its production defaults, a real Redis,
 * gateways from their jar with 1 GB of heap), while requests keep flowing to random Routes.
 *
 * <p>The Routes and policies are created through the API (parallel {@code create}s: {@code kubectl}
 * would take far longer); the measured edits go through {@code kubectl apply}, one at a time with a
 * pause between them, as edits from people come. It prints how long the bulk took to be served,
 * then the edits' figures, the failed requests (5xx or broken connections), and the operator's
 * compile-and-write time per sync.
 *
 * <p>Run from the repository root (arguments: routes, policies, edits):
 *
 * <pre>
 * ./mvnw -B -ntp -pl e2e -am package dependency:build-classpath -DskipTests \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/tollgate-e2e-classpath.txt
 * java -cp e2e/target/test-classes:$(cat /tmp/tollgate-e2e-classpath.txt) \
 *     dev.tollgate.e2e.system.ConfigAtScaleBenchmark 10000 10000 50
 * </pre>
 */
public final class ConfigAtScaleBenchmark {
  private static final Duration PAUSE = Duration.ofMillis(1500);
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Duration BULK_PATIENCE = Duration.ofMinutes(30);
  private static final Duration QUIET = Duration.ofSeconds(10);
  private static final long PROBE_MILLIS = 5;
  private static final int BASE_QUOTA = 1_000_000;
  private static final Pattern QUOTA = Pattern.compile(";q=(\\d+)");

  private ConfigAtScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    int routes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int policies = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int edits = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    String loadBefore = ProcessCounters.loadAverage();
    try (KubeApiServer api = KubeApiServer.start();
        RedisServer redis = RedisServer.start();
        TollgateSystem system = TollgateSystem.start(api, redis, "5s")) {
      String namespace = system.namespace();
      system.applyBackendService(namespace);
      List<GatewayJar> gateways =
          List.of(system.startGateway("gateway-a", "1g"), system.startGateway("gateway-b", "1g"));
      for (GatewayJar gateway : gateways) {
        gateway.awaitReady(Duration.ofSeconds(120));
      }

      long bulkStarted = System.nanoTime();
      create(system, routes, i -> route(i));
      long routesCreated = System.nanoTime();
      create(system, policies, i -> policy(i, routes, BASE_QUOTA + i));
      long created = System.nanoTime();
      int last = policies - 1;
      for (GatewayJar gateway : gateways) {
        awaitQuota(gateway, path(last % routes), BASE_QUOTA + last, BULK_PATIENCE);
      }
      long bulkServed = System.nanoTime();
      System.out.printf(
          "%d routes created in %d s, %d policies in %d s; all served by both gateways %d s after"
              + " the first create (%d s after the last)%n",
          routes,
          seconds(routesCreated - bulkStarted),
          policies,
          seconds(created - routesCreated),
          seconds(bulkServed - bulkStarted),
          seconds(bulkServed - created));
      long settled = settle(system);
      System.out.printf(
          "operator settled (no reconcile queued for %d s) %d s after the bulk was served%n",
          QUIET.toSeconds(), seconds(settled - bulkServed));
      String metricsBefore = system.operatorMetrics();
      String syncBefore = syncFigures(metricsBefore);
      System.out.printf(
          "gateway resident memory: %s MB; Redis used memory: %s%n",
          gateways.stream().map(g -> Long.toString(g.residentMegabytes())).toList(),
          redis
              .cli("INFO", "memory")
              .lines()
              .filter(l -> l.startsWith("used_memory_human:"))
              .findFirst()
              .orElse("?"));

      List<Double> fromApply = new ArrayList<>();
      List<Double> afterKubectl = new ArrayList<>();
      Random random = new Random(42);
      BackgroundTraffic traffic =
          BackgroundTraffic.start(
              gateways, () -> path(ThreadLocalRandom.current().nextInt(routes)) + "/load", 4);
      try (traffic) {
        // One edit first, not measured: the first kubectl apply after the CRDs were installed
        // refreshes kubectl's discovery cache, which a person's kubectl already holds (it took
        // 2.6 s on a loaded machine, where every later edit took 0.3-0.7 s).
        system.apply(
            namespace,
            ApiYaml.mapper().writeValueAsString(policy(0, routes, BASE_QUOTA + policies)));
        for (GatewayJar gateway : gateways) {
          awaitQuota(gateway, path(0), BASE_QUOTA + policies, PATIENCE);
        }
        for (int e = 1; e <= edits; e++) {
          // Pacing the edits, not synchronisation: arrival is awaited by probing below.
          Thread.sleep(PAUSE.toMillis());
          int k = random.nextInt(Math.min(routes, policies));
          int quota = BASE_QUOTA + policies + e;
          long started = System.nanoTime();
          system.apply(namespace, ApiYaml.mapper().writeValueAsString(policy(k, routes, quota)));
          long returned = System.nanoTime();
          long servedAt = 0;
          for (GatewayJar gateway : gateways) {
            servedAt = Math.max(servedAt, awaitQuota(gateway, path(k), quota, PATIENCE));
          }
          fromApply.add(millis(servedAt - started));
          afterKubectl.add(millis(servedAt - returned));
          System.out.printf("edit %d: %.0f ms%n", e, millis(servedAt - started));
        }
      }
      System.out.printf(
          "%n%d routes and %d policies, %d edits %s apart; %d requests answered meanwhile, failures"
              + " %s; load average before %s, after %s%n",
          routes,
          policies,
          edits,
          PAUSE,
          traffic.answered(),
          traffic.failures(),
          loadBefore,
          ProcessCounters.loadAverage());
      System.out.printf(
          "operator sync (compile, compare, write) over the bulk: %s; during the edits: %s%n%n",
          syncBefore, syncFigures(metricsBefore, system.operatorMetrics()));
      System.out.println(
          "| from `kubectl apply` of a changed limit until | n | p50 ms | p90 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|");
      System.out.println(Percentiles.of(fromApply).row("both gateways enforce it"));
      System.out.println(
          Percentiles.of(afterKubectl)
              .row("(from `kubectl apply` returning to both gateways enforcing)"));
    }
  }

  private static String path(int route) {
    return "/s/r" + route;
  }

  private static Route route(int i) {
    Route route =
        read(
            """
            apiVersion: tollgate.dev/v1alpha1
            kind: Route
            metadata: {name: r%d}
            spec:
              match: {pathPrefix: %s}
              backend: {service: {name: backend, port: 8080}}
            """
                .formatted(i, path(i)),
            Route.class);
    return route;
  }

  private static RateLimitPolicy policy(int i, int routes, int quota) {
    return read(
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: p%d}
        spec:
          targetRefs: [{kind: Route, name: r%d}]
          limits:
          - name: quota
            rate: {requests: %d, period: 1h}
        """
            .formatted(i, i % routes, quota),
        RateLimitPolicy.class);
  }

  private static <T> T read(String yaml, Class<T> type) {
    try {
      return ApiYaml.mapper().readValue(yaml, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates {@code count} resources with 16 requests at a time; server-side apply, so a request the
   * client retries after a timeout on a busy API server does not fail on its own first attempt.
   */
  private static void create(
      TollgateSystem system,
      int count,
      java.util.function.IntFunction<? extends io.fabric8.kubernetes.api.model.HasMetadata> make)
      throws Exception {
    String namespace = system.namespace();
    try (ExecutorService creators = Executors.newFixedThreadPool(16)) {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        done.add(
            creators.submit(
                () ->
                    system
                        .client()
                        .resource(make.apply(index))
                        .inNamespace(namespace)
                        .forceConflicts()
                        .serverSideApply()));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
  }

  /** Probes until the gateway answers {@code path} with {@code quota}; returns when (nanoTime). */
  private static long awaitQuota(GatewayJar gateway, String path, int quota, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = gateway.get(path + "/probe");
        Matcher m = QUOTA.matcher(response.headers().firstValue("RateLimit-Policy").orElse(""));
        if (m.find() && Integer.parseInt(m.group(1)) == quota) {
          return System.nanoTime();
        }
      } catch (UncheckedIOException e) {
        // not answering yet
      }
      // Pacing the probes (their interval bounds the resolution), not synchronisation.
      TimeUnit.MILLISECONDS.sleep(PROBE_MILLIS);
    }
    throw new IllegalStateException(
        gateway.podId() + " never enforced " + quota + " on " + path + ":\n" + gateway.logTail());
  }

  /**
   * Waits until the operator has no reconcile queued for {@link #QUIET} (a bulk of 20,000 leaves
   * minutes of status patches behind it); returns when (nanoTime).
   */
  private static long settle(TollgateSystem system) throws InterruptedException {
    long deadline = System.nanoTime() + BULK_PATIENCE.toNanos();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      double queued =
          system
              .operatorMetrics()
              .lines()
              .filter(l -> l.startsWith("operator_sdk_reconciliations_queue_size"))
              .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
              .sum();
      if (queued > 0) {
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > QUIET.toNanos()) {
        return System.nanoTime();
      }
      // Pacing the polls, not synchronisation.
      TimeUnit.SECONDS.sleep(1);
    }
    throw new IllegalStateException("the operator never settled");
  }

  /** Count and mean of the operator's sync duration summary. */
  private static String syncFigures(String metrics) {
    return syncFigures("", metrics);
  }

  /** Count and mean of the syncs between two readings of the operator's metrics. */
  private static String syncFigures(String before, String after) {
    String name = "tollgate_operator_snapshot_sync_duration_seconds";
    double count = sample(after, name + "_count") - sample(before, name + "_count");
    double sum = sample(after, name + "_sum") - sample(before, name + "_sum");
    return String.format("%.0f syncs, mean %.0f ms", count, count == 0 ? 0 : 1000 * sum / count);
  }

  private static double sample(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

  private static long seconds(long nanos) {
    return Duration.ofNanos(nanos).toSeconds();
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
