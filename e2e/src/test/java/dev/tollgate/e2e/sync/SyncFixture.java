package dev.tollgate.e2e.sync;

import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.testkit.kube.KubeApiServer;
import java.util.Map;

/** The setup the propagation test and benchmark share: CRDs, a Route, a policy, the operator. */
final class SyncFixture {
  /** A one-limit policy on Route {@code orders}; format with the quota per second. */
  static final String POLICY =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: RateLimitPolicy
      metadata: {name: orders-limit}
      spec:
        targetRefs: [{kind: Route, name: orders}]
        limits:
          - name: per-client
            rate: {requests: %d, period: 1s}
      """;

  /** Route {@code orders} to a static upstream; format with the upstream's base URL. */
  static final String ROUTE =
      """
      apiVersion: tollgate.dev/v1alpha1
      kind: Route
      metadata: {name: orders}
      spec:
        match: {pathPrefix: /orders}
        backend: {endpoints: ["%s"]}
      """;

  private SyncFixture() {}

  /** Installs the checked-in CRDs and waits until the API server serves them. */
  static void installCrds(KubeApiServer api) {
    api.kubectl(null, "apply", "-f", SyncPaths.crds().toString()).orThrow();
    api.kubectl(null, "wait", "--for=condition=Established", "--timeout=60s", "crd", "--all")
        .orThrow();
  }

  /** The operator's production defaults, on loopback, without leader election, one namespace. */
  static OperatorSettings operatorSettings(String redisUri, String namespace) {
    return OperatorSettings.from(
        Map.of(
            OperatorSettings.REDIS_URL, redisUri,
            OperatorSettings.WATCH_NAMESPACES, namespace,
            OperatorSettings.LEADER_ELECTION, "false",
            OperatorSettings.HTTP_HOST, "127.0.0.1",
            OperatorSettings.HTTP_PORT, "0"));
  }

  static void apply(KubeApiServer api, String namespace, String yaml) {
    api.kubectl(yaml, "-n", namespace, "apply", "-f", "-").orThrow();
  }
}
