package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.OperatorFixture.apply;
import static dev.tollgate.operator.it.OperatorFixture.patience;
import static dev.tollgate.operator.it.OperatorFixture.resource;
import static dev.tollgate.operator.it.OperatorFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.operator.TollgateOperator;
import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator does its whole job (leader election, snapshot, status, Events) with only the RBAC
 * rules docs/operator.md lists: it runs as a ServiceAccount holding exactly those, through the API
 * server's impersonation, so any missing verb fails here rather than in a cluster.
 */
class LeastPrivilegeIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void runsWithOnlyTheDocumentedPermissions() {
    OperatorFixture.installCrds(KUBE.api());
    String namespace = KUBE.api().createNamespace("rbac");
    apply(KUBE.api(), namespace, resource("operator-rbac.yaml").replace("NAMESPACE", namespace));
    Config config = KUBE.api().clientConfig();
    config.setImpersonateUsername("system:serviceaccount:" + namespace + ":tollgate-operator");
    Map<String, String> env =
        OperatorFixture.withShortLease(
            OperatorFixture.settings(REDIS.server(), namespace), namespace, "least-privilege");
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();

    try (var operator =
        new OperatorFixture.Running(
            TollgateOperator.start(OperatorSettings.from(env), client, false), client)) {
      String yaml = resource("orders.yaml");
      apply(KUBE.api(), namespace, OperatorFixture.policyOnly(yaml));
      await()
          .atMost(patience())
          .untilAsserted(
              () ->
                  assertThat(OperatorFixture.eventReasons(KUBE.api(), namespace))
                      .contains("TargetNotFound"));

      apply(KUBE.api(), namespace, yaml);

      await()
          .atMost(patience())
          .untilAsserted(
              () -> {
                assertThat(snapshot(REDIS.server()).at("/routes/0/endpoints")).hasSize(2);
                RateLimitPolicy policy =
                    KUBE.api()
                        .client()
                        .resources(RateLimitPolicy.class)
                        .inNamespace(namespace)
                        .withName("orders-per-user")
                        .get();
                assertThat(policy.getStatus().condition("Accepted").orElseThrow().getStatus())
                    .isEqualTo("True");
                assertThat(policy.getStatus().condition("Programmed").orElseThrow().getStatus())
                    .isEqualTo("True");
              });
      // Fabric8 renews the Lease with PATCH (JOSDK's start-up check asks only for get, create and
      // update): without it the leader would lose its lease after the 2 s renew deadline.
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(15))
          .until(() -> operator.metric("tollgate_operator_leader") == 1);
    }
  }
}
