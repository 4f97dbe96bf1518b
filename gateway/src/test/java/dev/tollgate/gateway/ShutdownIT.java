package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing the gateway turns it unready and lets requests in flight finish. */
class ShutdownIT {

  @Test
  void drainsInFlightRequestsBeforeStopping() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TestUpstream upstream =
        TestUpstream.start(
            "held",
            (req, res) -> {
              release.await(20, TimeUnit.SECONDS);
              res.send("finished");
            })) {
      GatewayFixture gateway =
          GatewayFixture.start(Routes.simple("held", "pathPrefix: /", upstream.url()));
      CompletableFuture<HttpResponse<String>> inFlight =
          CompletableFuture.supplyAsync(() -> gateway.get("/slow"));
      await().atMost(Duration.ofSeconds(10)).until(() -> upstream.hits() == 1);

      CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> gateway.admin("/health/ready").statusCode() == 503);
      assertThat(closing).isNotDone();

      release.countDown();
      HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("finished");
      closing.get(20, TimeUnit.SECONDS);
      assertThat(gateway.gateway().isRunning()).isFalse();
    }
  }

  @Test
  void stopsOnceTheDrainTimeoutHasPassedWithoutWaitingASecondTime() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (TestUpstream upstream =
        TestUpstream.start(
            "stuck",
            (req, res) -> {
              release.await(60, TimeUnit.SECONDS);
              res.send("too late");
            })) {
      GatewayFixture gateway =
          GatewayFixture.start(
              Routes.simple("stuck", "pathPrefix: /", upstream.url()),
              Map.of("TOLLGATE_DRAIN_TIMEOUT", "3s"));
      CompletableFuture.runAsync(() -> gateway.get("/stuck"));
      await().atMost(Duration.ofSeconds(10)).until(() -> upstream.hits() == 1);

      long started = System.nanoTime();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(gateway::close);

      // the drain (3 s) and then the stop; before, the server waited another drain timeout for
      // the request still running (6 s and more), past what the pod's grace period is sized for
      closing.get(20, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(5500));
      assertThat(gateway.gateway().isRunning()).isFalse();
      release.countDown();
    }
  }
}
