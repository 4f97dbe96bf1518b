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
import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two replicas behind a Lease, and the gateways' applied-version feedback. */
class HighAvailabilityIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  private static final String LEADER = "tollgate_operator_leader";
  private static final String WRITTEN =
      "tollgate_operator_snapshot_writes_total{result=\"written\"}";
  private static final String UNCHANGED =
      "tollgate_operator_snapshot_writes_total{result=\"unchanged\"}";

  @BeforeAll
  static void installCrds() {
    OperatorFixture.installCrds(KUBE.api());
  }

  private static Map<String, String> replica(String namespace, String identity) {
    return OperatorFixture.withShortLease(
        OperatorFixture.settings(REDIS.server(), namespace), namespace, identity);
  }

  @Test
  void onlyTheLeaderWritesAndTheOtherReplicaTakesOverWhenItStops() {
    String namespace = KUBE.api().createNamespace("ha");
    var first = OperatorFixture.start(KUBE.api(), replica(namespace, "replica-a"));
    var second = OperatorFixture.start(KUBE.api(), replica(namespace, "replica-b"));
    try {
      apply(KUBE.api(), namespace, resource("orders.yaml"));
      await()
          .atMost(patience())
          .untilAsserted(() -> assertThat(snapshot(REDIS.server()).get("policies")).hasSize(1));
      await().atMost(patience()).until(() -> first.metric(LEADER) + second.metric(LEADER) == 1);
      var leader = first.metric(LEADER) == 1 ? first : second;
      var follower = leader == first ? second : first;
      assertThat(follower.metric(WRITTEN)).isZero();
      assertThat(leader.metric(WRITTEN)).isEqualTo((double) version(REDIS.server()));
      assertThat(
              OperatorFixture.get(
                  KUBE.api(),
                  namespace,
                  "lease",
                  "tollgate-operator",
                  "-o",
                  "jsonpath={.spec.holderIdentity}"))
          .isEqualTo(leader == first ? "replica-a" : "replica-b");

      leader.close();
      KUBE.api()
          .kubectl(null, "-n", namespace, "delete", "ratelimitpolicy", "orders-per-user")
          .orThrow();

      await()
          .atMost(patience())
          .untilAsserted(() -> assertThat(snapshot(REDIS.server()).get("policies")).isEmpty());
      assertThat(follower.metric(LEADER)).isEqualTo(1);
      assertThat(follower.metric(WRITTEN)).isGreaterThanOrEqualTo(1);
    } finally {
      closeQuietly(first);
      closeQuietly(second);
    }
  }

  /**
   * A leader that stops hands its Lease over: with a 60 s lease the standby leads within seconds,
   * not after the lease would have run out (when a replacement pod would race it).
   */
  @Test
  void aStoppingLeaderHandsTheLeaseToTheStandbyAtOnce() {
    String namespace = KUBE.api().createNamespace("handover");
    var first = OperatorFixture.start(KUBE.api(), longLease(namespace, "replica-a"));
    var second = OperatorFixture.start(KUBE.api(), longLease(namespace, "replica-b"));
    try {
      await().atMost(patience()).until(() -> first.metric(LEADER) + second.metric(LEADER) == 1);
      var leader = first.metric(LEADER) == 1 ? first : second;
      String standby = leader == first ? "replica-b" : "replica-a";

      leader.close();

      await().atMost(Duration.ofSeconds(20)).until(() -> standby.equals(holder(namespace)));
    } finally {
      closeQuietly(first);
      closeQuietly(second);
    }
  }

  /**
   * A restarted operator (an upgrade, a rescheduled pod, a leader change) leaves every status as it
   * was: it decides {@code Programmed} once it has heard from Redis, not before (when it would say
   * Pending for every resource, and True again a moment later).
   */
  @Test
  void aRestartedOperatorLeavesTheStatusesAsTheyWere() {
    String namespace = KUBE.api().createNamespace("restart");
    var policies = KUBE.api().client().resources(RateLimitPolicy.class).inNamespace(namespace);
    try (var first = OperatorFixture.start(KUBE.api(), replica(namespace, "replica-a"))) {
      apply(KUBE.api(), namespace, resource("orders.yaml"));
      await()
          .atMost(patience())
          .untilAsserted(
              () ->
                  assertThat(programmed(policies.withName("orders-per-user").get()))
                      .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
    }
    Condition before = programmed(policies.withName("orders-per-user").get()).orElseThrow();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch watch =
            policies
                .withName("orders-per-user")
                .watch(
                    new Watcher<>() {
                      @Override
                      public void eventReceived(Action action, RateLimitPolicy policy) {
                        programmed(policy).ifPresent(c -> seen.add(c.getStatus()));
                      }

                      @Override
                      public void onClose(WatcherException cause) {}
                    });
        var second = OperatorFixture.start(KUBE.api(), replica(namespace, "replica-b"))) {
      await()
          .atMost(patience())
          .until(() -> second.metric(UNCHANGED) + second.metric(WRITTEN) >= 1);
      // the reconciles of the start and those the first word from Redis wakes: none says False
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(seen).doesNotContain("False"));
    }
    assertThat(programmed(policies.withName("orders-per-user").get()))
        .hasValueSatisfying(
            c -> assertThat(c.getLastTransitionTime()).isEqualTo(before.getLastTransitionTime()));
  }

  private static Optional<Condition> programmed(RateLimitPolicy policy) {
    return policy == null || policy.getStatus() == null
        ? Optional.empty()
        : policy.getStatus().condition("Programmed");
  }

  private static Map<String, String> longLease(String namespace, String identity) {
    Map<String, String> env = replica(namespace, identity);
    env.put(OperatorSettings.LEASE_DURATION, "60s");
    env.put(OperatorSettings.RENEW_DEADLINE, "40s");
    return env;
  }

  private static String holder(String namespace) {
    return OperatorFixture.get(
        KUBE.api(),
        namespace,
        "lease",
        "tollgate-operator",
        "-o",
        "jsonpath={.spec.holderIdentity}");
  }

  @Test
  void programmedCountsLiveGatewaysAndDropsOneWhoseKeyExpired() {
    String namespace = KUBE.api().createNamespace("feedback");
    try (var operator =
        OperatorFixture.start(KUBE.api(), OperatorFixture.settings(REDIS.server(), namespace))) {
      apply(KUBE.api(), namespace, resource("orders.yaml"));
      await()
          .atMost(patience())
          .untilAsserted(() -> assertThat(snapshot(REDIS.server()).get("policies")).hasSize(1));
      String served = Long.toString(version(REDIS.server()));

      // Two simulated gateways report the version they serve, with the gateways' own script;
      // gw-b will stop refreshing, so its report expires (a 2 s TTL here instead of the
      // gateways' 15 s, to keep the test short).
      report("gw-a", served, Duration.ofSeconds(60));
      report("gw-b", served, Duration.ofSeconds(2));

      await()
          .atMost(patience())
          .untilAsserted(
              () -> assertThat(programmed().getMessage()).endsWith("applied by 2/2 gateways"));
      await()
          .atMost(patience())
          .untilAsserted(
              () -> assertThat(programmed().getMessage()).endsWith("applied by 1/1 gateways"));
      assertThat(programmed().getStatus()).isEqualTo("True");
      assertThat(operator.metric("tollgate_operator_gateways_live")).isEqualTo(1);
    }
  }

  private static void report(String pod, String version, Duration ttl) {
    OperatorFixture.gatewayReports(
        REDIS.server(), OperatorFixture.KEYS, pod, Long.parseLong(version), ttl, "", 0);
  }

  private Condition programmed() {
    return KUBE
        .api()
        .client()
        .resources(RateLimitPolicy.class)
        .inAnyNamespace()
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getNamespace().startsWith("feedback"))
        .findFirst()
        .flatMap(
            p ->
                p.getStatus() == null
                    ? java.util.Optional.empty()
                    : p.getStatus().condition("Programmed"))
        .orElseThrow(() -> new AssertionError("no Programmed condition yet"));
  }

  private static void closeQuietly(OperatorFixture.Running operator) {
    try {
      operator.close();
    } catch (RuntimeException e) {
      // already closed by the test
    }
  }
}
