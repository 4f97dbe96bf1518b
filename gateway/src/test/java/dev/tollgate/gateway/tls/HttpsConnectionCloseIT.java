package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.ConnectionCloseChecks;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawConnection;
import dev.tollgate.gateway.support.RawHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTPS listener ends a connection after a response that announces {@code Connection: close},
 * as the plain one does ({@code ConnectionCloseIT}): over TLS too, what a client sent after such a
 * request, or as the unread body of a refused one, is never served. The keep-alive timeout is a
 * minute, so a close within seconds is the gateway's doing.
 */
class HttpsConnectionCloseIT {
  private static final Duration PROMPTLY = ConnectionCloseChecks.PROMPTLY;
  private static final String HOST = "orders.example.test";

  private static HttpsSetup setup;
  private static GatewayFixture gateway;
  private static SSLContext tls;

  @BeforeAll
  static void start() {
    setup = new HttpsSetup("tollgate-https-close");
    gateway =
        setup.gateway(
            "/orders",
            Map.of(
                "TOLLGATE_TLS_PORT",
                "0",
                "TOLLGATE_TLS_CERT_DIRS",
                setup.pki.server("orders", HOST).toString(),
                "TOLLGATE_KEEPALIVE_TIMEOUT",
                "60s"));
    tls = TlsClients.trusting(setup.pki.caFile());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    setup.close();
  }

  @BeforeEach
  void reset() {
    setup.upstream.resetHits();
  }

  private static RawConnection connect() throws IOException {
    return RawConnection.over(TlsClients.connect(tls, gateway.httpsPort(), HOST));
  }

  @Test
  void aResponseTheClientAskedToBeLastClosesTheConnection() throws IOException {
    try (RawConnection client = connect()) {
      ConnectionCloseChecks.nothingAfterTheLastIsServed(client, HOST, "/orders/1", setup.upstream);
    }
  }

  @Test
  void theUnreadBodyOfARefusedRequestIsNeverServedAsARequest() throws IOException {
    try (RawConnection client = connect()) {
      ConnectionCloseChecks.aRefusedBodyIsNeverServed(
          client, HOST, "/orders/smuggled", setup.upstream);
    }
  }

  /** The HTTPS listener answers what its parser refuses as the plain one does (problem+json). */
  @Test
  void anOversizedHeaderBlockIsRefused431AsAProblem() throws IOException {
    try (RawConnection client = connect()) {
      client.send(
          "GET /orders/1 HTTP/1.1\r\nHost: "
              + HOST
              + "\r\nX-Big: "
              + "a".repeat(20_000)
              + "\r\n\r\n");
      RawHttp.Response response = client.readResponse(PROMPTLY);
      assertThat(response.status()).as(response.text()).isEqualTo(431);
      assertThat(response.text()).containsIgnoringCase("Content-Type: application/problem+json");
    }
    assertThat(setup.upstream.hits()).isZero();
  }

  @Test
  void aKeepAliveConnectionStaysOpen() throws IOException {
    try (RawConnection client = connect()) {
      for (int i = 0; i < 2; i++) {
        client.send("GET /orders/" + i + " HTTP/1.1\r\nHost: " + HOST + "\r\n\r\n");
        assertThat(client.readResponse(PROMPTLY).status()).isEqualTo(200);
      }
      assertThat(client.awaitClose(Duration.ofMillis(500))).as("still open").isEmpty();
    }
    assertThat(setup.upstream.hits()).isEqualTo(2);
  }
}
