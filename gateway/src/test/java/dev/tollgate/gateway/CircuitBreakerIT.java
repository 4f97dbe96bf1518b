package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import io.helidon.http.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A failing endpoint is ejected, traffic shifts to the healthy one, and it comes back. */
class CircuitBreakerIT {
  private final AtomicBoolean failing = new AtomicBoolean(true);
  private TestUpstream flaky;
  private TestUpstream healthy;
  private GatewayFixture gateway;

  @BeforeEach
  void start() {
    flaky =
        TestUpstream.start(
            "flaky",
            (req, res) -> {
              if (failing.get()) {
                res.status(Status.BAD_GATEWAY_502).send("down");
              } else {
                res.send("flaky ok");
              }
            });
    healthy = TestUpstream.start("healthy", (req, res) -> res.send("healthy ok"));
    gateway =
        GatewayFixture.start(
            Routes.route(
                "shop",
                """
                match:
                  pathPrefix: /
                backend:
                  endpoints: [%s, %s]
                  retries: {attempts: 1, retryOn: [gateway-error]}
                  circuitBreaker: {failureRatio: 50, volume: 4, delay: 1s}
                """
                    .formatted(flaky.url(), healthy.url())));
  }

  @AfterEach
  void stop() {
    gateway.close();
    flaky.close();
    healthy.close();
  }

  private String circuitGauge() {
    String prefix = "tollgate_circuit_open{endpoint=\"" + flaky.url() + "\",route=\"test/shop\"";
    return gateway
        .admin("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void failingEndpointIsEjectedThenProbedAndRestored() {
    // Retries hide the failures from clients while the breaker counts them.
    for (int i = 0; i < 10; i++) {
      assertThat(gateway.get("/warmup/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(circuitGauge()).endsWith(" 1.0");

    flaky.resetHits();
    for (int i = 0; i < 20; i++) {
      assertThat(gateway.get("/shifted/" + i).body()).isEqualTo("healthy ok");
    }
    assertThat(flaky.hits()).as("an ejected endpoint gets no traffic").isZero();

    failing.set(false);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> gateway.get("/probe").body().equals("flaky ok"));
    assertThat(circuitGauge()).endsWith(" 0.0");
    flaky.resetHits();
    for (int i = 0; i < 20; i++) {
      gateway.get("/restored/" + i);
    }
    assertThat(flaky.hits()).isEqualTo(10);
  }
}
