package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each gateway reports the version it serves at {@code tollgate:<gw>:gateways:<pod-id>} with a TTL,
 * where the operator counts it (see the operator's {@code GatewayFeedback}).
 */
class AppliedVersionReportIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void reportsTheServedVersionWithATtlAndWithdrawsItOnShutdown() {
    try (TestUpstream upstream = TestUpstream.echo("blue");
        OperatorWrites operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME)) {
      var redis = operator.redis();
      operator.publish(3, OperatorWrites.snapshot(3, "/app", upstream.url()));
      RedisGateway gateway = RedisGateway.start(REDIS.uri(), "pod-a", Duration.ofMinutes(10));
      String key = gateway.appliedVersionKey();
      assertThat(key).isEqualTo("tollgate:it:gateways:pod-a");

      assertThat(redis.get(key)).isEqualTo("3");
      assertThat(redis.ttl(key)).isBetween(1L, 15L);

      operator.publish(4, OperatorWrites.snapshot(4, "/app", upstream.url()));
      await().atMost(Duration.ofSeconds(5)).until(() -> "4".equals(redis.get(key)));

      // A refused snapshot leaves the report at the version still served.
      operator.publish(5, "not json");
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> "4".equals(redis.get(key)));

      // Refreshed every 5 s: the TTL climbs back towards 15 s instead of running out.
      await().atMost(Duration.ofSeconds(12)).until(() -> redis.ttl(key) < 12 && redis.ttl(key) > 0);
      await().atMost(Duration.ofSeconds(8)).until(() -> redis.ttl(key) >= 14);

      gateway.close();
      assertThat(redis.exists(key)).isZero();
    }
  }

  @Test
  void writesTheReportAgainAfterRedisLostIt() {
    try (TestUpstream upstream = TestUpstream.echo("blue");
        OperatorWrites operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME)) {
      operator.publish(1, OperatorWrites.snapshot(1, "/app", upstream.url()));
      try (RedisGateway gateway =
          RedisGateway.start(REDIS.uri(), "pod-b", Duration.ofMinutes(10))) {
        String key = gateway.appliedVersionKey();

        REDIS.server().restart();

        await()
            .atMost(Duration.ofSeconds(15))
            .ignoreExceptions()
            .until(() -> "1".equals(operator.redis().get(key)));
        assertThat(operator.redis().ttl(key)).isBetween(1L, 15L);
      }
    }
  }

  @Test
  void twoGatewaysReportUnderTheirOwnPodIds() {
    try (TestUpstream upstream = TestUpstream.echo("blue");
        OperatorWrites operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME)) {
      operator.publish(9, OperatorWrites.snapshot(9, "/app", upstream.url()));
      try (RedisGateway a = RedisGateway.start(REDIS.uri(), "pod-a", Duration.ofMinutes(10));
          RedisGateway b = RedisGateway.start(REDIS.uri(), "pod-b", Duration.ofMinutes(10))) {
        assertThat(operator.redis().keys("tollgate:it:gateways:*"))
            .containsExactlyInAnyOrder(a.appliedVersionKey(), b.appliedVersionKey());
        assertThat(operator.redis().mget(a.appliedVersionKey(), b.appliedVersionKey()))
            .allSatisfy(v -> assertThat(v.getValue()).isEqualTo("9"));
      }
    }
  }
}
