package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.OperatorFixture.apply;
import static dev.tollgate.operator.it.OperatorFixture.patience;
import static dev.tollgate.operator.it.OperatorFixture.resource;
import static dev.tollgate.operator.it.OperatorFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.common.Condition;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kubectl apply -> operator -> Redis snapshot + status, on a real API server and Redis. Where a
 * resource's problems show: what the rulebook refuses, on its own {@code Accepted} condition (it is
 * left out, everyone else is served); what a gateway left out, on its {@code Programmed} condition
 * with the count of gateways and their reason.
 */
class ConfigSyncIT {
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
    namespace = KUBE.api().createNamespace("sync");
    operator =
        OperatorFixture.start(KUBE.api(), OperatorFixture.settings(REDIS.server(), namespace));
  }

  @AfterEach
  void stopOperator() {
    operator.close();
  }

  @Test
  void appliedRouteServiceSliceAndPolicyReachRedisWithBothConditionsTrue() {
    // a client-certificate key part (mTLS on the gateway) passes the operator into the snapshot
    apply(
        KUBE.api(),
        namespace,
        resource("orders.yaml")
            .replace("key: [{claim: sub}]", "key: [{claim: sub}, {clientCertificate: true}]"));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              JsonNode snapshot = snapshot(REDIS.server());
              assertThat(snapshot.isMissingNode()).isFalse();
              JsonNode route = snapshot.at("/routes/0");
              assertThat(route.path("name").asText()).isEqualTo("orders");
              assertThat(route.path("namespace").asText()).isEqualTo(namespace);
              assertThat(texts(route.path("endpoints")))
                  .containsExactly("http://10.1.2.3:9000", "http://10.1.2.4:9000");
              assertThat(route.at("/spec/match/pathPrefix").asText()).isEqualTo("/orders");
              assertThat(snapshot.at("/policies/0/name").asText()).isEqualTo("orders-per-user");
              assertThat(snapshot.at("/policies/0/spec/limits/0/rate/requests").asInt())
                  .isEqualTo(100);
              assertThat(
                      snapshot.at("/policies/0/spec/limits/0/key/1/clientCertificate").asBoolean())
                  .isTrue();
              assertThat(snapshot.path("version").asLong())
                  .isEqualTo(OperatorFixture.version(REDIS.server()));
            });
    long version = OperatorFixture.version(REDIS.server());
    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertConditions(route("orders"), "True", "Accepted", "True", "Programmed");
              assertConditions(policy("orders-per-user"), "True", "Accepted", "True", "Programmed");
              assertThat(condition(policy("orders-per-user"), "Programmed").getMessage())
                  .isEqualTo("config v" + version + " applied by 0/0 gateways");
              assertThat(route("orders").getStatus().getObservedGeneration()).isEqualTo(1L);
              assertThat(route("orders").getStatus().getPolicies()).isEqualTo("orders-per-user");
            });
    String table = OperatorFixture.get(KUBE.api(), namespace, "routes,ratelimitpolicies");
    System.out.println(table);
    // NAME HOSTS PATH BACKEND ACCEPTED PROGRAMMED AGE / NAME TARGETS LIMITS ENFORCEMENT ...
    assertThat(table)
        .containsPattern(
            "route.tollgate.dev/orders\\s+/orders\\s+orders\\s+True\\s+True\\s+orders-per-user")
        .containsPattern(
            "ratelimitpolicy.tollgate.dev/orders-per-user\\s+orders\\s+per-user\\s+enforce\\s+True\\s+True");
    // categories: [tollgate]: one name lists both kinds
    assertThat(OperatorFixture.get(KUBE.api(), namespace, "tollgate", "-o", "name"))
        .contains("route.tollgate.dev/orders", "ratelimitpolicy.tollgate.dev/orders-per-user");
  }

  /**
   * A policy retargeted from one Route to another leaves the first Route's {@code status.policies}
   * as it joins the second's.
   */
  @Test
  void aRetargetedPolicyLeavesTheStatusOfTheRouteItNoLongerTargets() {
    String yaml = resource("orders.yaml");
    apply(
        KUBE.api(),
        namespace,
        yaml
            + "\n---\n"
            + """
            apiVersion: tollgate.dev/v1alpha1
            kind: Route
            metadata: {name: carts}
            spec:
              match: {pathPrefix: /carts}
              backend: {service: {name: orders, port: 8080}}
            """);
    await()
        .atMost(patience())
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(route("orders").getStatus().getPolicies()).isEqualTo("orders-per-user"));

    apply(
        KUBE.api(),
        namespace,
        OperatorFixture.policyOnly(yaml).replace("name: orders}", "name: carts}"));
    await()
        .atMost(patience())
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(route("carts").getStatus().getPolicies()).isEqualTo("orders-per-user");
              assertThat(route("orders").getStatus().getPolicies()).isNullOrEmpty();
            });
  }

  @Test
  void policyTargetingAMissingRouteIsNotAcceptedUntilTheRouteAppears() {
    String yaml = resource("orders.yaml");
    String policyOnly = OperatorFixture.policyOnly(yaml);
    apply(KUBE.api(), namespace, policyOnly);

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              Condition accepted = condition(policy("orders-per-user"), "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("TargetNotFound");
              assertThat(accepted.getMessage())
                  .isEqualTo(
                      "Route orders not found in namespace "
                          + namespace
                          + "; the policy applies once it exists");
            });
    assertThat(OperatorFixture.eventReasons(KUBE.api(), namespace)).contains("TargetNotFound");

    apply(KUBE.api(), namespace, yaml);

    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertConditions(
                    policy("orders-per-user"), "True", "Accepted", "True", "Programmed"));
  }

  @Test
  void endpointSliceChangesReachTheSnapshot() {
    apply(KUBE.api(), namespace, resource("orders.yaml"));
    awaitEndpoints("http://10.1.2.3:9000", "http://10.1.2.4:9000");

    // added: a second slice of the same Service (FQDN endpoints, as for an external backend)
    apply(
        KUBE.api(),
        namespace,
        """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: orders-fqdn
          labels: {kubernetes.io/service-name: orders}
        addressType: FQDN
        ports: [{name: http, port: 9000}]
        endpoints: [{addresses: [orders.internal.example]}]
        """);
    awaitEndpoints(
        "http://10.1.2.3:9000", "http://10.1.2.4:9000", "http://orders.internal.example:9000");

    // not ready: 10.1.2.4 turns unready
    apply(
        KUBE.api(),
        namespace,
        """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: orders-abc12
          labels: {kubernetes.io/service-name: orders}
        addressType: IPv4
        ports: [{name: http, port: 9000}]
        endpoints:
          - addresses: [10.1.2.3]
            conditions: {ready: true}
          - addresses: [10.1.2.4]
            conditions: {ready: false}
        """);
    awaitEndpoints("http://10.1.2.3:9000", "http://orders.internal.example:9000");

    // removed: both slices deleted -> no endpoints, Accepted=False NoReadyEndpoints
    KUBE.api()
        .kubectl(null, "-n", namespace, "delete", "endpointslice", "orders-abc12", "orders-fqdn")
        .orThrow();
    awaitEndpoints();
    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              Condition accepted = condition(route("orders"), "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("NoReadyEndpoints");
              assertThat(accepted.getMessage())
                  .isEqualTo("Service orders port 8080 has no ready endpoints");
            });
  }

  @Test
  void deletingAPolicyRemovesItAndNothingCarriesAFinalizer() {
    apply(KUBE.api(), namespace, resource("orders.yaml"));
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(snapshot(REDIS.server()).at("/policies/0/name").asText())
                    .isEqualTo("orders-per-user"));
    assertThat(route("orders").getMetadata().getFinalizers()).isEmpty();
    assertThat(policy("orders-per-user").getMetadata().getFinalizers()).isEmpty();

    // --wait: kubectl returns only once the object is gone, which a finalizer would prevent
    KUBE.api()
        .kubectl(
            null,
            "-n",
            namespace,
            "delete",
            "ratelimitpolicy",
            "orders-per-user",
            "--wait",
            "--timeout=20s")
        .orThrow();
    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              JsonNode snapshot = snapshot(REDIS.server());
              assertThat(snapshot.get("policies")).isEmpty();
              assertThat(snapshot.at("/routes/0/name").asText()).isEqualTo("orders");
            });
    KUBE.api()
        .kubectl(null, "-n", namespace, "delete", "route", "orders", "--wait", "--timeout=20s")
        .orThrow();
    await()
        .atMost(patience())
        .untilAsserted(() -> assertThat(snapshot(REDIS.server()).get("routes")).isEmpty());
  }

  @Test
  void aQuotaTheRulebookRefusesIsRefusedOnItsOwnStatusAndEveryoneElseIsServed() {
    apply(KUBE.api(), namespace, resource("orders.yaml"));
    // The schema and its CEL rules accept a well-formed zone name; only the rulebook knows the
    // tz database.
    apply(KUBE.api(), namespace, dailyQuota("Europe/Berln"));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              Condition accepted = policyCondition("daily", "Accepted");
              assertThat(accepted.getStatus()).isEqualTo("False");
              assertThat(accepted.getReason()).isEqualTo("Invalid");
              assertThat(accepted.getMessage())
                  .startsWith(
                      "spec.limits[0].window.timeZone: 'Europe/Berln' is not a time zone of the tz"
                          + " database");
              assertThat(policyCondition("daily", "Programmed").getReason())
                  .isEqualTo("NotAccepted");
              assertThat(policyCondition("orders-per-user", "Programmed").getStatus())
                  .isEqualTo("True");
            });
    assertThat(policyNames(snapshot(REDIS.server()))).containsExactly("orders-per-user");
    assertThat(OperatorFixture.get(KUBE.api(), namespace, "tgrl", "daily", "-o", "wide"))
        .containsPattern("daily\\s.*\\sFalse\\s+False\\s+Invalid\\s")
        .contains("spec.limits[0].window.timeZone: 'Europe/Berln'");
    assertThat(OperatorFixture.eventReasons(KUBE.api(), namespace)).contains("Invalid");

    // Fixed, it is written like any other.
    apply(KUBE.api(), namespace, dailyQuota("Europe/Berlin"));
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(policyNames(snapshot(REDIS.server())))
                    .containsExactly("daily", "orders-per-user"));
    // The snapshot carries the window as the gateways compile it: calendar, zone, no period.
    JsonNode daily = snapshot(REDIS.server()).at("/policies/0/spec/limits/0");
    assertThat(daily.at("/window/calendar").asText()).isEqualTo("day");
    assertThat(daily.at("/window/timeZone").asText()).isEqualTo("Europe/Berlin");
    assertThat(daily.at("/rate/period").isMissingNode()).isTrue();
  }

  @Test
  void saysHowManyLiveGatewaysLeftAResourceOutAndWhy() {
    apply(KUBE.api(), namespace, resource("orders.yaml"));
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(policyCondition("orders-per-user", "Programmed").getStatus())
                    .isEqualTo("True"));
    long version = OperatorFixture.version(REDIS.server());

    // Two gateway pods report as gateways do; one of them could not serve the policy.
    report("pod-a", version, "RateLimitPolicy/" + namespace + "/orders-per-user\tspec: no way\n");
    report("pod-b", version, "");

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              Condition programmed = policyCondition("orders-per-user", "Programmed");
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
                assertThat(policyCondition("orders-per-user", "Programmed").getMessage())
                    .isEqualTo("config v" + version + " applied by 2/2 gateways"));
  }

  /** 200,000 a calendar day in {@code timeZone}. */
  private static String dailyQuota(String timeZone) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: daily}
        spec:
          targetRefs: [{kind: Route, name: orders}]
          limits:
          - name: day
            algorithm: fixed-window
            rate: {requests: 200000}
            window: {calendar: day, timeZone: %s}
        """
        .formatted(timeZone);
  }

  private void report(String pod, long version, String rejected) {
    OperatorFixture.gatewayReports(
        REDIS.server(), OperatorFixture.KEYS, pod, version, Duration.ofSeconds(60), rejected, 0);
  }

  private Condition policyCondition(String name, String type) {
    return condition(policy(name), type);
  }

  private static List<String> policyNames(JsonNode snapshot) {
    return StreamSupport.stream(snapshot.path("policies").spliterator(), false)
        .map(p -> p.path("name").asText())
        .toList();
  }

  private void awaitEndpoints(String... expected) {
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(texts(snapshot(REDIS.server()).at("/routes/0/endpoints")))
                    .containsExactly(expected));
  }

  private Route route(String name) {
    return KUBE.api().client().resources(Route.class).inNamespace(namespace).withName(name).get();
  }

  private RateLimitPolicy policy(String name) {
    return KUBE.api()
        .client()
        .resources(RateLimitPolicy.class)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  private static Condition condition(CustomResource<?, ?> resource, String type) {
    var status = (dev.tollgate.api.v1alpha1.ResourceStatus) resource.getStatus();
    assertThat(status).as("status of %s", resource.getMetadata().getName()).isNotNull();
    Optional<Condition> condition = status.condition(type);
    assertThat(condition).as("%s condition", type).isPresent();
    return condition.get();
  }

  private static void assertConditions(
      CustomResource<?, ?> resource,
      String accepted,
      String acceptedReason,
      String programmed,
      String programmedReason) {
    Condition a = condition(resource, "Accepted");
    Condition p = condition(resource, "Programmed");
    assertThat(a.getStatus()).as("Accepted: %s", a).isEqualTo(accepted);
    assertThat(a.getReason()).isEqualTo(acceptedReason);
    assertThat(p.getStatus()).as("Programmed: %s", p).isEqualTo(programmed);
    assertThat(p.getReason()).isEqualTo(programmedReason);
    assertThat(a.getObservedGeneration())
        .isEqualTo(((HasMetadata) resource).getMetadata().getGeneration());
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
