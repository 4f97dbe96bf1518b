package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.OperatorFixture.apply;
import static dev.tollgate.operator.it.OperatorFixture.patience;
import static dev.tollgate.operator.it.OperatorFixture.resource;
import static dev.tollgate.operator.it.OperatorFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.common.Condition;
import dev.tollgate.api.snapshot.ConfigScripts;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.ResourceStatus;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where a resource's problems show: what the rulebook refuses, on the resource's own {@code
 * Accepted} condition (and the resource is left out, everyone else is served); what a gateway left
 * out, on its {@code Programmed} condition with the count of gateways and their reason.
 */
class VerdictsIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private String namespace;
  private OperatorFixture.Running operator;

  @BeforeAll
  static void installCrds() {
    OperatorFixture.installCrds(KUBE.api());
  }

  @BeforeEach
  void startOperator() {
    namespace = KUBE.api().createNamespace("verdicts");
    operator =
        OperatorFixture.start(KUBE.api(), OperatorFixture.settings(REDIS.server(), namespace));
  }

  @AfterEach
  void stopOperator() {
    operator.close();
  }

  @Test
  void aQuotaTheEngineCannotRunIsRefusedOnItsOwnStatusAndEveryoneElseIsServed() {
    apply(KUBE.api(), namespace, resource("orders.yaml"));
    // The schema accepts it (requests <= 1e9, a valid period); only the engine's bounds do not.
    apply(
        KUBE.api(),
        namespace,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: daily}
        spec:
          targetRefs: [{kind: Route, name: orders}]
          limits: [{name: day, algorithm: fixed-window, rate: {requests: 200000, period: 24h}}]
        """);

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              Condition accepted = condition("daily", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("Invalid");
              assertThat(accepted.getMessage())
                  .startsWith(
                      "spec.limits[0].rate: 200000 requests per 24h is beyond the limiter's exact"
                          + " arithmetic")
                  .contains("at most 104249 per 24h");
              assertThat(condition("daily", "Programmed").getReason()).isEqualTo("NotAccepted");
              assertThat(condition("orders-per-user", "Programmed").getStatus()).isEqualTo("True");
            });
    assertThat(policyNames(snapshot(REDIS.server()))).containsExactly("orders-per-user");
    assertThat(OperatorFixture.get(KUBE.api(), namespace, "tgrl", "daily", "-o", "wide"))
        .containsPattern("daily\\s.*\\sFalse\\s+False\\s+Invalid\\s")
        .contains("spec.limits[0].rate: 200000 requests per 24h");
    assertThat(OperatorFixture.eventReasons(KUBE.api(), namespace)).contains("Invalid");

    // Fixed, it is written like any other.
    apply(
        KUBE.api(),
        namespace,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: daily}
        spec:
          targetRefs: [{kind: Route, name: orders}]
          limits: [{name: day, algorithm: fixed-window, rate: {requests: 100000, period: 24h}}]
        """);
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(policyNames(snapshot(REDIS.server())))
                    .containsExactly("daily", "orders-per-user"));
  }

  @Test
  void saysHowManyLiveGatewaysLeftAResourceOutAndWhy() {
    apply(KUBE.api(), namespace, resource("orders.yaml"));
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(condition("orders-per-user", "Programmed").getStatus())
                    .isEqualTo("True"));
    long version = OperatorFixture.version(REDIS.server());

    // Two gateway pods report as gateways do; one of them could not serve the policy.
    report("pod-a", version, "RateLimitPolicy/" + namespace + "/orders-per-user\tspec: no way\n");
    report("pod-b", version, "");

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              Condition programmed = condition("orders-per-user", "Programmed");
              assertThat(programmed.getStatus()).isEqualTo("False");
              assertThat(programmed.getReason()).isEqualTo("RefusedByGateway");
              assertThat(programmed.getMessage())
                  .isEqualTo(
                      "config v"
                          + version
                          + " refused by 1/2 gateways: spec: no way (applied by 1/2 gateways)");
            });
    // What a team sees first: the reason in the table, the message with -o wide.
    assertThat(OperatorFixture.get(KUBE.api(), namespace, "tgrl", "-o", "wide"))
        .containsPattern("orders-per-user\\s.*\\sTrue\\s+False\\s+RefusedByGateway\\s")
        .contains("refused by 1/2 gateways: spec: no way");

    report("pod-a", version, "");
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(condition("orders-per-user", "Programmed").getMessage())
                    .isEqualTo("config v" + version + " applied by 2/2 gateways"));
  }

  private void report(String pod, long version, String rejected) {
    REDIS
        .server()
        .cli(
            "EVAL",
            ConfigScripts.REPORT_APPLIED_VERSION,
            "1",
            OperatorFixture.KEYS.gateways(),
            pod,
            Long.toString(version),
            "60000",
            rejected);
  }

  private Condition condition(String policy, String type) {
    RateLimitPolicy resource =
        KUBE.api()
            .client()
            .resources(RateLimitPolicy.class)
            .inNamespace(namespace)
            .withName(policy)
            .get();
    ResourceStatus status = resource == null ? null : resource.getStatus();
    assertThat(status).as("status of %s", policy).isNotNull();
    return status.condition(type).orElseThrow(() -> new AssertionError(type + " of " + policy));
  }

  private static List<String> policyNames(JsonNode snapshot) {
    return StreamSupport.stream(snapshot.path("policies").spliterator(), false)
        .map(p -> p.path("name").asText())
        .toList();
  }
}
