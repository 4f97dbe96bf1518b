package dev.tollgate.e2e.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.common.Condition;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kubectl apply} of a Service, its EndpointSlice, a Route and a RateLimitPolicy reaches two
 * gateway processes through the operator and Redis: both route to the upstream, together they admit
 * exactly the policy's limit, both resources report {@code Accepted} and {@code Programmed}, and
 * {@code Programmed} counts the gateways serving the config — down to 1/1 once a killed gateway's
 * report expires.
 */
class ConfigSyncSystemIT {
  private static final int LIMIT = 12;

  /** The gateways' report TTL (15 s) plus a feedback read and a reconcile, with room for load. */
  private static final Duration REPORT_EXPIRY = Duration.ofSeconds(45);

  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private TollgateSystem system;
  private GatewayJar a;
  private GatewayJar b;

  @BeforeEach
  void start() {
    system = TollgateSystem.start(KUBE.api(), REDIS.server(), "500ms");
    a = system.startGateway("gateway-a");
    b = system.startGateway("gateway-b");
  }

  @AfterEach
  void stop() {
    system.close();
  }

  @Test
  void appliedResourcesAreServedAndEnforcedByBothGatewaysAndReportedInStatus() {
    system.applyOrders(LIMIT);

    for (GatewayJar gateway : List.of(a, b)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .failFast(() -> !gateway.isAlive())
          .until(() -> gateway.ready() && servesPolicy(gateway));
    }

    // One bucket for everyone: requests alternate between the gateways, exactly LIMIT pass.
    Map<Integer, Long> statuses =
        IntStream.range(0, 2 * LIMIT)
            .mapToObj(i -> (i % 2 == 0 ? a : b).get("/orders/" + i))
            .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
    assertThat(statuses)
        .as(a.logTail())
        .containsExactlyInAnyOrderEntriesOf(Map.of(200, (long) LIMIT, 429, (long) LIMIT));
    assertThat(system.upstream().hits()).isEqualTo(LIMIT);

    // Both resources: Accepted and Programmed, the latter counting both live gateways.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(system.routeCondition("orders", "Accepted"))
                  .map(Condition::getStatus)
                  .contains("True");
              assertThat(system.policyCondition("orders-total", "Accepted"))
                  .map(Condition::getStatus)
                  .contains("True");
              assertThat(programmed("orders-total")).endsWith("applied by 2/2 gateways");
              assertThat(programmed("orders")).endsWith("applied by 2/2 gateways");
            });

    // A gateway that dies without cleaning up drops out when its report expires.
    b.kill();
    await()
        .atMost(REPORT_EXPIRY)
        .untilAsserted(
            () -> assertThat(programmed("orders-total")).endsWith("applied by 1/1 gateways"));
    assertThat(programmed("orders")).endsWith("applied by 1/1 gateways");
  }

  @Test
  void aRoutedRequestReachesTheUpstreamThroughTheServicesFqdnEndpoint() {
    system.applyOrders(LIMIT);
    await().atMost(Duration.ofSeconds(60)).failFast(() -> !a.isAlive()).until(a::ready);

    HttpResponse<String> response = a.get("/orders/42?x=1");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(Upstream.BODY_PREFIX + "/42");
    assertThat(response.headers().firstValue("RateLimit-Policy").orElse(""))
        .startsWith("\"total\";q=" + LIMIT + ";");
  }

  private static boolean servesPolicy(GatewayJar gateway) {
    return gateway.config().path("snapshot").path("policies").size() == 1;
  }

  private String programmed(String name) {
    Function<String, Optional<Condition>> lookup =
        name.equals("orders")
            ? type -> system.routeCondition(name, type)
            : type -> system.policyCondition(name, type);
    Condition condition = lookup.apply("Programmed").orElseThrow();
    assertThat(condition.getStatus()).as(condition.getMessage()).isEqualTo("True");
    return condition.getMessage();
  }
}
