package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.FreePort;
import io.helidon.http.Status;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Timeouts, unreachable and ejected upstreams, and which requests are retried. */
class UpstreamFailureIT {
  /** A breaker that never opens, so retry behaviour is observed on its own. */
  private static final String NO_BREAKER = "circuitBreaker: {failureRatio: 100, volume: 10000}";

  private static TestUpstream slow;
  private static TestUpstream healthy;
  private static TestUpstream unavailable;
  private static final AtomicInteger SLOW_DELAY_MS = new AtomicInteger(3000);
  private static String dead;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    slow =
        TestUpstream.start(
            "slow",
            (req, res) -> {
              // The upstream's own behaviour under test, not test synchronization.
              Thread.sleep(SLOW_DELAY_MS.get());
              res.send("late");
            });
    healthy = TestUpstream.echo("healthy");
    unavailable =
        TestUpstream.start(
            "unavailable", (req, res) -> res.status(Status.SERVICE_UNAVAILABLE_503).send("busy"));
    dead = "http://127.0.0.1:" + FreePort.pick();
    gateway =
        GatewayFixture.start(
            route("timeout", "/timeout", "timeout: 200ms", slow.url())
                + route("refused", "/refused", NO_BREAKER, dead)
                + route(
                    "ejecting",
                    "/ejecting",
                    "circuitBreaker: {failureRatio: 1, volume: 1, delay: 1h}",
                    dead)
                + route(
                    "retry-gateway-error",
                    "/retry-gateway-error",
                    NO_BREAKER + "\n  retries: {attempts: 1, retryOn: [gateway-error]}",
                    unavailable.url(),
                    healthy.url())
                + route(
                    "retry-connect",
                    "/retry-connect",
                    NO_BREAKER + "\n  retries: {attempts: 1, retryOn: [connect-failure]}",
                    dead,
                    healthy.url())
                + route("no-retry", "/no-retry", NO_BREAKER, unavailable.url(), healthy.url()));
  }

  private static String route(
      String name, String prefix, String backendExtra, String... endpoints) {
    return Routes.route(
        name,
        """
        match:
          pathPrefix: %s
        backend:
          endpoints: [%s]
          %s
        """
            .formatted(prefix, String.join(", ", endpoints), backendExtra));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    slow.close();
    healthy.close();
    unavailable.close();
  }

  private static void assertProblem(HttpResponse<String> response, int status, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body())
        .contains("\"type\":\"urn:tollgate:problem:" + type + "\"")
        .doesNotContain("127.0.0.1")
        .doesNotContain("Exception");
  }

  @Test
  void upstreamSlowerThanTheRouteTimeoutGives504() {
    assertProblem(gateway.get("/timeout"), 504, "upstream-timeout");
  }

  @Test
  void refusedConnectionGives502() {
    assertProblem(gateway.get("/refused"), 502, "upstream-unreachable");
  }

  @Test
  void allEndpointsEjectedGives503() {
    assertProblem(gateway.get("/ejecting/1"), 502, "upstream-unreachable");
    assertProblem(gateway.get("/ejecting/2"), 503, "no-healthy-endpoint");
    assertThat(gateway.admin("/metrics").body())
        .contains(
            "tollgate_circuit_open{endpoint=\""
                + dead
                + "\",route=\"test/ejecting\",scope=\"application\",} 1.0");
  }

  @Test
  void idempotentRequestsAreRetriedOnGatewayErrorsOnAnotherEndpoint() {
    for (int i = 0; i < 10; i++) {
      assertThat(gateway.get("/retry-gateway-error/" + i).statusCode()).isEqualTo(200);
    }
  }

  /** Sends {@code request} ten times; returns how many answers had {@code status}. */
  private static int countStatus(HttpRequest request, int status) {
    int count = 0;
    for (int i = 0; i < 10; i++) {
      count += gateway.send(request).statusCode() == status ? 1 : 0;
    }
    return count;
  }

  @Test
  void nonIdempotentRequestsAreNeverRetried() {
    unavailable.resetHits();
    healthy.resetHits();
    HttpRequest post =
        HttpRequest.newBuilder(gateway.uri("/retry-gateway-error/post"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    // Round robin over two endpoints: half the POSTs land on the failing one and stay failed.
    assertThat(countStatus(post, 503)).isEqualTo(5);
    assertThat(unavailable.hits() + healthy.hits()).isEqualTo(10);
  }

  @Test
  void idempotentRequestsWithABodyAreNotRetried() {
    HttpRequest put =
        HttpRequest.newBuilder(gateway.uri("/retry-gateway-error/put"))
            .PUT(HttpRequest.BodyPublishers.ofString("payload"))
            .build();
    assertThat(countStatus(put, 503)).isEqualTo(5);
  }

  @Test
  void connectFailuresAreRetriedForIdempotentRequests() {
    for (int i = 0; i < 10; i++) {
      assertThat(gateway.get("/retry-connect/" + i).statusCode()).isEqualTo(200);
    }
    HttpRequest post =
        HttpRequest.newBuilder(gateway.uri("/retry-connect/post"))
            .POST(HttpRequest.BodyPublishers.ofString("x"))
            .build();
    assertThat(countStatus(post, 502)).isEqualTo(5);
  }

  @Test
  void withoutARetryPolicyTheUpstreamsGatewayErrorIsRelayed() {
    int relayed = 0;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> response = gateway.get("/no-retry/" + i);
      if (response.statusCode() == 503) {
        assertThat(response.body()).isEqualTo("busy");
        relayed++;
      }
    }
    assertThat(relayed).isEqualTo(5);
  }
}
