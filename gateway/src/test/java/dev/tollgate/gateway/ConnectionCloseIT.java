package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.ConnectionCloseChecks;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawConnection;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/1.1 response that announces {@code Connection: close} is the connection's last: the
 * gateway closes the connection once it is sent (RFC 9112, 9.6), and never serves what the client
 * sent after that request. The keep-alive timeout is a minute here, so a close within seconds is
 * the gateway's doing, not its idle check.
 */
class ConnectionCloseIT {
  private static final Duration PROMPTLY = ConnectionCloseChecks.PROMPTLY;

  private static TestUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream = TestUpstream.echo("upstream");
    gateway =
        GatewayFixture.start(
            Routes.simple("api", "pathPrefix: /api", upstream.url()),
            Map.of("TOLLGATE_KEEPALIVE_TIMEOUT", "60s"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void reset() {
    upstream.resetHits();
  }

  @Test
  void aProblemTheClientAskedToBeLastClosesTheConnection() {
    try (RawConnection client = RawConnection.open(gateway.port())) {
      // "close" among other options counts too (RFC 9110, 7.6.1)
      client.send(
          "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: TE, Close\r\nTE: trailers\r\n\r\n");
      assertThat(client.readResponse(PROMPTLY).status()).isEqualTo(404);
      assertThat(client.awaitClose(PROMPTLY)).as("closed after the problem").isPresent();
    }
  }

  @Test
  void theUnreadBodyOfARefusedRequestIsNeverServedAsARequest() {
    try (RawConnection client = RawConnection.open(gateway.port())) {
      ConnectionCloseChecks.aRefusedBodyIsNeverServed(client, "x", "/api/smuggled", upstream);
    }
  }

  @Test
  void requestsAfterOneThatAskedToBeLastAreNotServed() {
    try (RawConnection client = RawConnection.open(gateway.port())) {
      ConnectionCloseChecks.nothingAfterTheLastIsServed(client, "x", "/api/first", upstream);
    }
  }

  @Test
  void aKeepAliveConnectionServesEveryRequestAndStaysOpen() {
    try (RawConnection client = RawConnection.open(gateway.port())) {
      for (String target : new String[] {"/api/first", "/nowhere", "/api/third"}) {
        client.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(client.readResponse(PROMPTLY).status())
            .as(target)
            .isEqualTo(target.startsWith("/api") ? 200 : 404);
      }
      assertThat(client.awaitClose(Duration.ofMillis(500))).as("still open").isEmpty();
    }
    assertThat(upstream.hits()).isEqualTo(2);
  }
}
