package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.redis.RedisClusterExtension;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis config source on a 3-master Redis Cluster, reading what the operator's write script
 * wrote (snapshot, version and fence in one slot thanks to the {@code {<gw>}} hash tag): a PUBLISH
 * sent to one node reaches the subscriber on another, and the pod's report lands in the hash the
 * operator counts.
 */
class RedisClusterConfigSourceIT {
  @RegisterExtension static final RedisClusterExtension REDIS = new RedisClusterExtension();

  @Test
  void loadsReloadsOnPublishAndOnPollAndReportsOnACluster() {
    String uri = REDIS.cluster().uri();
    try (TestUpstream blue = TestUpstream.echo("blue");
        TestUpstream green = TestUpstream.echo("green");
        OperatorWrites operator = new OperatorWrites(uri, RedisGateway.GATEWAY_NAME)) {
      operator.publish(OperatorWrites.routes("/app", blue.url()));
      try (RedisGateway gateway = RedisGateway.start(uri, "pod-c", Duration.ofMillis(300))) {
        assertThat(gateway.ready()).isTrue();
        assertThat(upstreamOf(gateway)).isEqualTo("blue");

        long second = operator.publish(OperatorWrites.routes("/app", green.url()));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == second);
        assertThat(upstreamOf(gateway)).isEqualTo("green");

        long third = operator.store(OperatorWrites.routes("/app", blue.url()));
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.version() == third);
        assertThat(upstreamOf(gateway)).isEqualTo("blue");

        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> operator.served("pod-c").equals(Optional.of(Long.toString(third))));
        assertThat(operator.reportTtl("pod-c"))
            .isBetween(Duration.ofSeconds(1), AppliedVersionReporter.TTL);
        // Counted the way the operator counts on a cluster: one script on the instance's slot.
        assertThat(operator.liveVersions()).containsExactly(Long.toString(third));
      }
    }
  }

  private static String upstreamOf(RedisGateway gateway) {
    var response = gateway.get("/app/x");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Echo.parse(response.body()).upstream();
  }
}
