package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.GatewayMain;
import dev.tollgate.gateway.GatewaySettings;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code failureMode: local} divides a limit by the gateways the fleet really has while Redis is
 * away: the live reports in {@code tollgate:{<gw>}:gateways} that every gateway reads, not only the
 * configured floor {@code TOLLGATE_LIMITER_REPLICAS} (an HPA minimum, which a scaled-out fleet
 * exceeds). Three gateways wired as the jar runs them, one real Redis that then dies.
 */
class LocalShareOfTheFleetIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final long LIMIT = 12;

  private static GatewayMain.Running gateway(String pod) {
    GatewaySettings settings =
        GatewaySettings.from(
            RedisGateway.settings(REDIS.uri(), Map.of("TOLLGATE_LIMITER_REPLICAS", "1")));
    return GatewayMain.start(settings, Map.of("HOSTNAME", pod));
  }

  @Test
  void eachGatewayTakesItsShareOfTheLiveFleetNotOfTheFloor() {
    List<GatewayMain.Running> fleet = new ArrayList<>();
    try (TestUpstream upstream = TestUpstream.echo("api");
        OperatorWrites operator = new OperatorWrites(REDIS.uri(), RedisGateway.GATEWAY_NAME)) {
      operator.publish(OperatorWrites.routeWithLimit("/api", upstream.url(), LIMIT, "local"));
      for (String pod : List.of("pod-a", "pod-b", "pod-c")) {
        fleet.add(gateway(pod));
      }
      // every gateway has counted all three (each re-reads within 5 s of the others' reports)
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> fleet.stream().allMatch(g -> g.gateway().liveGateways() == 3));

      REDIS.server().kill();
      int port = fleet.getFirst().gateway().port();
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        statuses.add(LoopbackHttp.get(port, "/api/x").statusCode());
      }

      // 12 per hour over 3 gateways: 4 here (with the floor of 1 alone it would have been 12)
      assertThat(statuses).containsExactly(200, 200, 200, 200, 429, 429, 429, 429, 429, 429);
    } finally {
      fleet.forEach(GatewayMain.Running::close);
      REDIS.server().restart();
    }
  }
}
