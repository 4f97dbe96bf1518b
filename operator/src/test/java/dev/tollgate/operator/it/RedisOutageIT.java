package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.OperatorFixture.apply;
import static dev.tollgate.operator.it.OperatorFixture.patience;
import static dev.tollgate.operator.it.OperatorFixture.resource;
import static dev.tollgate.operator.it.OperatorFixture.snapshot;
import static dev.tollgate.operator.it.OperatorFixture.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.common.Condition;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis going away and coming back empty: changes made meanwhile wait, say why, and land once Redis
 * answers again, under a version higher than any the gateways saw before.
 */
class RedisOutageIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void changesDuringAnOutageWaitSayWhyAndLandAfterwardsUnderAHigherVersion() {
    OperatorFixture.installCrds(KUBE.api());
    String namespace = KUBE.api().createNamespace("outage");
    try (var operator =
        OperatorFixture.start(KUBE.api(), OperatorFixture.settings(REDIS.server(), namespace))) {
      String yaml = resource("orders.yaml");
      apply(KUBE.api(), namespace, yaml);
      await()
          .atMost(patience())
          .untilAsserted(() -> assertThat(snapshot(REDIS.server()).get("policies")).hasSize(1));
      long before = version(REDIS.server());

      REDIS.server().kill();
      apply(
          KUBE.api(),
          namespace,
          OperatorFixture.policyOnly(yaml).replace("requests: 100", "requests: 200"));

      await()
          .atMost(patience())
          .untilAsserted(
              () -> {
                Condition programmed = programmed(namespace);
                assertThat(programmed.getStatus()).isEqualTo("False");
                assertThat(programmed.getReason()).isEqualTo("WriteFailed");
                assertThat(programmed.getMessage())
                    .startsWith("cannot write the config snapshot to Redis (retrying): ");
                assertThat(operator.get("/health/ready").statusCode()).isEqualTo(503);
              });

      REDIS.server().restart(); // same port, no data: as after a crash without persistence

      await()
          .atMost(patience())
          .untilAsserted(
              () -> {
                assertThat(
                        snapshot(REDIS.server())
                            .at("/policies/0/spec/limits/0/rate/requests")
                            .asInt())
                    .isEqualTo(200);
                assertThat(programmed(namespace).getStatus()).isEqualTo("True");
              });
      assertThat(version(REDIS.server())).isGreaterThan(before);
      assertThat(operator.metric("tollgate_operator_snapshot_write_errors_total")).isPositive();
    }
  }

  /**
   * A policy deleted and created again under its name starts over at generation 1: the entry its
   * predecessor left in Redis (generation 1 or more) is not the new one's, so while nothing can be
   * written the new policy is not programmed.
   */
  @Test
  void aPolicyCreatedAgainDuringAnOutageIsNotProgrammedByItsPredecessorsEntry() {
    OperatorFixture.installCrds(KUBE.api());
    String namespace = KUBE.api().createNamespace("recreated");
    try (var operator =
        OperatorFixture.start(KUBE.api(), OperatorFixture.settings(REDIS.server(), namespace))) {
      String yaml = resource("orders.yaml");
      apply(KUBE.api(), namespace, yaml);
      await()
          .atMost(patience())
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(programmed(namespace).getStatus()).isEqualTo("True"));

      REDIS.server().kill();
      try {
        KUBE.api()
            .client()
            .resources(RateLimitPolicy.class)
            .inNamespace(namespace)
            .withName("orders-per-user")
            .withTimeout(30, TimeUnit.SECONDS)
            .delete();
        apply(
            KUBE.api(),
            namespace,
            OperatorFixture.policyOnly(yaml).replace("requests: 100", "requests: 200"));

        await()
            .atMost(patience())
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  Condition programmed = programmed(namespace);
                  assertThat(programmed.getStatus() + " " + programmed.getReason())
                      .isEqualTo("False WriteFailed");
                });
      } finally {
        REDIS.server().restart();
      }
    }
  }

  private static Condition programmed(String namespace) {
    RateLimitPolicy policy =
        KUBE.api()
            .client()
            .resources(RateLimitPolicy.class)
            .inNamespace(namespace)
            .withName("orders-per-user")
            .get();
    return policy.getStatus().condition("Programmed").orElseThrow();
  }
}
