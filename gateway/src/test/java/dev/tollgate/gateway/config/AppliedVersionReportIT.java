package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each gateway reports the version it serves as its field of {@code tollgate:{<gw>}:gateways}, live
 * until an expiry on the Redis clock, where the operator counts it (see the operator's {@code
 * GatewayFeedback}, which runs the same {@code LIVE_GATEWAYS} script as {@link
 * OperatorWrites#liveVersions}).
 */
class AppliedVersionReportIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void reportsTheServedVersionWithATtlAndWithdrawsItOnShutdown() {
    try (TestUpstream upstream = TestUpstream.echo("blue");
        OperatorWrites operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME)) {
      operator.publish(OperatorWrites.routes("/app", upstream.url()));
      RedisGateway gateway = RedisGateway.start(REDIS.uri(), "pod-a", Duration.ofMinutes(10));
      assertThat(operator.redis().hkeys("tollgate:{it}:gateways")).containsExactly("pod-a");

      assertThat(operator.served("pod-a")).contains("1");
      assertThat(operator.reportTtl("pod-a")).isBetween(Duration.ofSeconds(1), ttl());
      assertThat(operator.liveVersions()).containsExactly("1");

      operator.publish(OperatorWrites.routes("/app", upstream.url(), "/b", upstream.url()));
      await().atMost(Duration.ofSeconds(5)).until(() -> serves(operator, "pod-a", "2"));

      // A configuration that cannot be read leaves the report at the version still served.
      operator.corruptVersion();
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> serves(operator, "pod-a", "2"));

      // Refreshed every 5 s: the remaining time climbs back towards 15 s instead of running out.
      await()
          .atMost(Duration.ofSeconds(12))
          .until(() -> operator.reportTtl("pod-a").compareTo(Duration.ofSeconds(12)) < 0);
      await()
          .atMost(Duration.ofSeconds(8))
          .until(() -> operator.reportTtl("pod-a").compareTo(Duration.ofSeconds(14)) >= 0);

      gateway.close();
      assertThat(operator.served("pod-a")).isEmpty();
      assertThat(operator.liveVersions()).isEmpty();
    }
  }

  @Test
  void writesTheReportAgainAfterRedisLostIt() {
    try (TestUpstream upstream = TestUpstream.echo("blue");
        OperatorWrites operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME)) {
      operator.publish(OperatorWrites.routes("/app", upstream.url()));
      try (RedisGateway gateway =
          RedisGateway.start(REDIS.uri(), "pod-b", Duration.ofMinutes(10))) {
        assertThat(operator.served("pod-b")).contains("1");

        REDIS.server().restart();

        await()
            .atMost(Duration.ofSeconds(15))
            .ignoreExceptions()
            .until(() -> serves(operator, "pod-b", "1"));
        assertThat(operator.reportTtl("pod-b")).isBetween(Duration.ofSeconds(1), ttl());
      }
    }
  }

  @Test
  void reportsTheResourcesItLeftOutBesideTheVersionUntilTheyAreServedAgain() {
    try (TestUpstream upstream = TestUpstream.echo("blue");
        OperatorWrites operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME);
        RedisGateway gateway = RedisGateway.start(REDIS.uri(), "pod-r", Duration.ofMinutes(10))) {
      operator.publish(OperatorWrites.routes("/app", "not a url", "/ok", upstream.url()));
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == 1);

      assertThat(operator.served("pod-r")).contains("1");
      assertThat(operator.liveRejections())
          .singleElement()
          .asString()
          .startsWith("1\nRoute/test/route-0\tspec.backend.endpoints[0]: 'not a url' is not a");

      operator.publish(OperatorWrites.routes("/app", upstream.url()));
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == 2);
      assertThat(operator.liveRejections()).isEmpty();
      assertThat(operator.redis().hkeys("tollgate:{it}:gateways")).containsExactly("pod-r");
    }
  }

  @Test
  void twoGatewaysReportUnderTheirOwnPodIds() {
    try (TestUpstream upstream = TestUpstream.echo("blue");
        OperatorWrites operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME)) {
      operator.publish(OperatorWrites.routes("/app", upstream.url()));
      try (RedisGateway a = RedisGateway.start(REDIS.uri(), "pod-a", Duration.ofMinutes(10));
          RedisGateway b = RedisGateway.start(REDIS.uri(), "pod-b", Duration.ofMinutes(10))) {
        assertThat(operator.redis().hkeys("tollgate:{it}:gateways"))
            .containsExactlyInAnyOrder("pod-a", "pod-b");
        assertThat(operator.liveVersions()).containsExactly("1", "1");
      }
    }
  }

  private static boolean serves(OperatorWrites operator, String podId, String version) {
    return operator.served(podId).equals(Optional.of(version));
  }

  private static Duration ttl() {
    return AppliedVersionReporter.TTL;
  }
}
