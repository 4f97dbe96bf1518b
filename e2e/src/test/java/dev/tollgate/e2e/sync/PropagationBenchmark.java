package dev.tollgate.e2e.sync;

import dev.tollgate.operator.TollgateOperator;
import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.redis.RedisServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How long a changed limit takes from {@code kubectl apply} to a gateway's view: the API server
 * (real kube-apiserver + etcd), the operator in-process with its production defaults (150 ms
 * debounce), a real Redis, and a subscriber that behaves like a gateway (pub/sub announcement, then
 * GET of the snapshot). Each change waits until the previous one arrived, then a pause, as changes
 * from people or a GitOps tool come.
 *
 * <p>Run: {@code ./mvnw -pl e2e test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.tollgate.e2e.sync.PropagationBenchmark -Dexec.args=100}
 */
public final class PropagationBenchmark {
  private static final String POLICY =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: RateLimitPolicy
      metadata: {name: orders-per-user}
      spec:
        targetRefs: [{kind: Route, name: orders}]
        limits:
          - name: per-user
            rate: {requests: %d, period: 1m}
            key: [{claim: sub}]
      """;
  private static final String ROUTE =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: Route
      metadata: {name: orders}
      spec:
        match: {pathPrefix: /orders}
        backend: {endpoints: ["http://orders.internal.example:8080"]}
      """;

  /**
   * Pause between changes: longer than the writer's pacing reset (twice its 600 ms first gap), so
   * each change is measured as a change on its own, not as part of a burst.
   */
  private static final Duration PAUSE = Duration.ofMillis(1500);

  private PropagationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int changes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    try (KubeApiServer api = KubeApiServer.start();
        RedisServer redis = RedisServer.start()) {
      api.kubectl(null, "apply", "-f", SyncPaths.crds().toString()).orThrow();
      api.kubectl(null, "wait", "--for=condition=Established", "--timeout=60s", "crd", "--all")
          .orThrow();
      String namespace = api.createNamespace("bench");
      OperatorSettings settings =
          OperatorSettings.from(
              Map.of(
                  OperatorSettings.REDIS_URL, redis.uri(),
                  OperatorSettings.WATCH_NAMESPACES, namespace,
                  OperatorSettings.LEADER_ELECTION, "false",
                  OperatorSettings.HTTP_HOST, "127.0.0.1",
                  OperatorSettings.HTTP_PORT, "0"));
      try (KubernetesClient client =
              new KubernetesClientBuilder().withConfig(api.clientConfig()).build();
          TollgateOperator operator = TollgateOperator.start(settings, client, false);
          SnapshotWatcher watcher = new SnapshotWatcher(redis.uri(), "default")) {
        api.kubectl(ROUTE + "---\n" + POLICY.formatted(1000), "-n", namespace, "apply", "-f", "-")
            .orThrow();
        watcher.awaitSnapshot(json -> json.contains("\"requests\":1000"), Duration.ofSeconds(30));

        List<Double> toRedis = new ArrayList<>();
        List<Double> kubectl = new ArrayList<>();
        for (int i = 1; i <= changes; i++) {
          // Pacing the load, not synchronisation: arrival is awaited through pub/sub below.
          Thread.sleep(PAUSE.toMillis());
          int requests = 1000 + i;
          watcher.reset();
          long started = System.nanoTime();
          api.kubectl(POLICY.formatted(requests), "-n", namespace, "apply", "-f", "-").orThrow();
          long applied = System.nanoTime();
          long arrived =
              watcher.awaitSnapshot(
                  json -> json.contains("\"requests\":" + requests), Duration.ofSeconds(30));
          toRedis.add((arrived - started) / 1e6);
          kubectl.add((applied - started) / 1e6);
        }
        System.out.println();
        System.out.println(
            "| from `kubectl apply` of a changed limit to | n | p50 ms | p90 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.println(Percentiles.of(toRedis).row("new snapshot announced in Redis and read"));
        System.out.println(Percentiles.of(kubectl).row("(`kubectl apply` itself returning)"));
      }
    }
  }
}
