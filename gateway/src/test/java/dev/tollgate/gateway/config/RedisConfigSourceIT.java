package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gateway's Redis config source against a real redis-server: start, pub/sub, the version poll,
 * refusal of unparsable snapshots, leaving out only the resource it cannot serve, and Redis
 * restarts. A poll interval of {@link #NO_POLL} leaves pub/sub as the only way a change can arrive,
 * so each test shows the mechanism it names.
 */
class RedisConfigSourceIT {
  private static final Duration NO_POLL = Duration.ofMinutes(10);
  private static final Duration FAST_POLL = Duration.ofMillis(200);
  private static final String FAILURES = "tollgate_config_reloads_total{result=\"failure\"";
  private static final String REJECTED_ROUTES = "tollgate_config_rejected_resources{kind=\"Route\"";

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private TestUpstream blue;
  private TestUpstream green;
  private OperatorWrites operator;
  private RedisGateway gateway;

  @BeforeEach
  void upstreams() {
    blue = TestUpstream.echo("blue");
    green = TestUpstream.echo("green");
    operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    operator.close();
    blue.close();
    green.close();
  }

  @Test
  void servesTheSnapshotInRedisFromTheStart() {
    operator.publish(7, OperatorWrites.snapshot(7, "/app", blue.url()));

    gateway = RedisGateway.start(REDIS.uri(), "pod-a", NO_POLL);

    assertThat(gateway.ready()).isTrue();
    assertThat(gateway.version()).isEqualTo(7);
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
  }

  @Test
  void staysUnreadyUntilTheOperatorWritesASnapshot() {
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", NO_POLL);

    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !gateway.ready());
    assertThat(gateway.get("/app/x").statusCode()).isEqualTo(503);

    operator.publish(1, OperatorWrites.snapshot(1, "/app", blue.url()));

    await().atMost(Duration.ofSeconds(10)).until(gateway::ready);
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
  }

  @Test
  void reloadsWhenANewVersionIsPublished() {
    operator.publish(1, OperatorWrites.snapshot(1, "/app", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", NO_POLL);

    operator.publish(2, OperatorWrites.snapshot(2, "/app", green.url()));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == 2);
    assertThat(upstreamOf("/app/x")).isEqualTo("green");
  }

  @Test
  void picksUpAChangeWhosePublishWasMissedByPollingTheVersion() {
    operator.publish(1, OperatorWrites.snapshot(1, "/app", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);

    operator.store(2, OperatorWrites.snapshot(2, "/app", green.url()));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == 2);
    assertThat(upstreamOf("/app/x")).isEqualTo("green");
  }

  @Test
  void keepsLastGoodSnapshotWhenTheNewOneCannotBeParsed() {
    operator.publish(1, OperatorWrites.snapshot(1, "/app", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);
    double failuresBefore = gateway.metric(FAILURES);

    operator.publish(2, "{\"version\": 2, \"routes\": [");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gateway.metric(FAILURES) == failuresBefore + 1);
    // Polled again and again, the same bad version is refused (and counted) only once.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> gateway.metric(FAILURES) == failuresBefore + 1);
    assertThat(gateway.version()).isEqualTo(1);
    assertThat(gateway.ready()).isTrue();
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");

    operator.publish(3, OperatorWrites.snapshot(3, "/app", green.url()));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == 3);
    assertThat(upstreamOf("/app/x")).isEqualTo("green");
  }

  @Test
  void servesEverythingButTheResourceItCannotServe() {
    operator.publish(1, OperatorWrites.snapshot(1, "/app", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);
    double failuresBefore = gateway.metric(FAILURES);

    // As a writer the gateway disagrees with would write it: one route it cannot serve.
    operator.publish(2, OperatorWrites.snapshot(2, "/app", "not a url", "/shop", green.url()));

    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == 2);
    assertThat(upstreamOf("/shop/x")).isEqualTo("green");
    assertThat(gateway.get("/app/x").statusCode()).isEqualTo(404);
    assertThat(gateway.metric(REJECTED_ROUTES)).isEqualTo(1);
    assertThat(gateway.metric(FAILURES)).isEqualTo(failuresBefore);
    assertThat(gateway.admin("/admin/config").body())
        .contains(
            "\"resource\" : \"Route test/route-0\"",
            "spec.backend.endpoints[0]: 'not a url' is not a base URL");

    operator.publish(3, OperatorWrites.snapshot(3, "/app", blue.url(), "/shop", green.url()));
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == 3);
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
    assertThat(gateway.metric(REJECTED_ROUTES)).isZero();
  }

  @Test
  void resubscribesAfterRedisRestartsAndLoadsWhatTheOperatorWritesThen() {
    operator.publish(1, OperatorWrites.snapshot(1, "/app", blue.url()));
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", NO_POLL);

    REDIS.server().restart();
    // All data is gone: the gateway keeps serving what it has.
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
    awaitReconnected();

    // After a restart the operator writes again; without polling, only a renewed subscription (or
    // the check made when it is renewed) can deliver this.
    operator.publish(2, OperatorWrites.snapshot(2, "/app", green.url()));
    await().atMost(Duration.ofSeconds(15)).until(() -> gateway.version() == 2);
    assertThat(upstreamOf("/app/x")).isEqualTo("green");
  }

  @Test
  void startsUnreadyWhileRedisIsDownAndLoadsOnceItIsBack() {
    REDIS.server().kill();
    gateway = RedisGateway.start(REDIS.uri(), "pod-a", FAST_POLL);
    assertThat(gateway.ready()).isFalse();

    REDIS.server().restart();
    awaitReconnected();
    operator.publish(1, OperatorWrites.snapshot(1, "/app", blue.url()));

    await().atMost(Duration.ofSeconds(15)).until(gateway::ready);
    assertThat(upstreamOf("/app/x")).isEqualTo("blue");
  }

  /** The test's own client reconnects too; wait until the restarted server answers it. */
  private void awaitReconnected() {
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> "PONG".equals(operator.redis().ping()));
  }

  private String upstreamOf(String path) {
    var response = gateway.get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Echo.parse(response.body()).upstream();
  }
}
