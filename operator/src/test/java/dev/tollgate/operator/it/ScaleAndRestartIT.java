package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.OperatorFixture.apply;
import static dev.tollgate.operator.it.OperatorFixture.patience;
import static dev.tollgate.operator.it.OperatorFixture.snapshot;
import static dev.tollgate.operator.it.OperatorFixture.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A GitOps-sized burst is debounced into few writes; a restart with nothing changed writes none.
 */
class ScaleAndRestartIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  private static final int POLICIES = 500;

  @BeforeAll
  static void installCrds() {
    OperatorFixture.installCrds(KUBE.api());
  }

  private static String policies(int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                """
                apiVersion: tollgate.dev/v1alpha1
                kind: RateLimitPolicy
                metadata: {name: policy-%03d}
                spec:
                  targetRefs: [{kind: Route, name: orders}]
                  limits:
                    - name: per-user
                      rate: {requests: %d, period: 1m}
                      key: [{claim: sub}]
                """
                    .formatted(i, 100 + i))
        .collect(Collectors.joining("---\n"));
  }

  @Test
  void fiveHundredPoliciesAppliedAtOnceGiveFewWritesAndOneCompleteSnapshot() {
    String namespace = KUBE.api().createNamespace("burst");
    Map<String, String> env = OperatorFixture.settings(REDIS.server(), namespace);
    long restartedAt;
    try (var operator = OperatorFixture.start(KUBE.api(), env)) {
      await().atMost(patience()).until(() -> version(REDIS.server()) > 0);
      long before = version(REDIS.server());

      long started = System.nanoTime();
      apply(KUBE.api(), namespace, policies(POLICIES));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> assertThat(snapshot(REDIS.server()).get("policies")).hasSize(POLICIES));
      long writes = version(REDIS.server()) - before;
      System.out.printf(
          "%d policies applied in one kubectl apply: %d snapshot writes, all in Redis after %d ms%n",
          POLICIES, writes, Duration.ofNanos(System.nanoTime() - started).toMillis());
      // Paced: at most one write per maximum delay while the burst lasts, plus the last.
      long burstMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
      long maxDelayMillis = OperatorSettings.from(env).debounceMaxDelay().toMillis();
      assertThat(writes).isBetween(1L, burstMillis / maxDelayMillis + 2);
      assertThat(snapshot(REDIS.server()).at("/policies/499/spec/limits/0/rate/requests").asInt())
          .isEqualTo(599);
      // The burst has settled: the writes counter agrees with the versions in Redis.
      await()
          .atMost(patience())
          .untilAsserted(
              () ->
                  assertThat(
                          operator.metric(
                              "tollgate_operator_snapshot_writes_total{result=\"written\"}"))
                      .isEqualTo((double) version(REDIS.server())));
      restartedAt = version(REDIS.server());
    }

    try (var restarted = OperatorFixture.start(KUBE.api(), env)) {
      await()
          .atMost(patience())
          .until(
              () ->
                  restarted.metric("tollgate_operator_snapshot_writes_total{result=\"unchanged\"}")
                      >= 1);
      assertThat(version(REDIS.server())).isEqualTo(restartedAt);
      assertThat(restarted.metric("tollgate_operator_snapshot_writes_total{result=\"written\"}"))
          .isZero();
      assertThat(restarted.metric("tollgate_operator_snapshot_version"))
          .isEqualTo((double) restartedAt);
      assertThat(restarted.get("/health/ready").statusCode()).isEqualTo(200);
      assertThat(restarted.get("/health/live").body()).isEqualTo("UP");
    }
  }
}
