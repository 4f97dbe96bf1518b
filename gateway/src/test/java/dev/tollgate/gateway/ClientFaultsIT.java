package dev.tollgate.gateway;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a client does wrong is its own failure, not the endpoint's: clients that abandon their
 * uploads leave the endpoint's circuit closed, and a client pausing inside its upload for longer
 * than the route's timeout (but within its own body timeout) gets the upstream's answer.
 */
class ClientFaultsIT {
  private TestUpstream upstream;
  private GatewayFixture gateway;

  @BeforeEach
  void start() {
    upstream = TestUpstream.echo("echo");
    gateway =
        GatewayFixture.start(
            Routes.route(
                "up",
                """
                match:
                  pathPrefix: /
                backend:
                  endpoints: [%s]
                  timeout: 1s
                  circuitBreaker: {failureRatio: 50, volume: 4, delay: 30s}
                """
                    .formatted(upstream.url())));
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  @Test
  void clientsAbandoningTheirUploadsDoNotOpenTheEndpointsCircuit() throws Exception {
    for (int i = 0; i < 6; i++) {
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
        OutputStream out = client.getOutputStream();
        out.write(
            "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nonly ten b"
                .getBytes(ISO_8859_1));
        out.flush();
        // the gateway forwards what came, then waits for the rest, when the client leaves
        Thread.sleep(200);
      }
      int abandoned = i + 1;
      await().atMost(Duration.ofSeconds(10)).until(() -> answered() == abandoned);
    }

    assertThat(gateway.get("/after").statusCode()).isEqualTo(200);
  }

  /** Requests of the route answered so far, whatever their status. */
  private int answered() {
    return (int) gateway.metricSum("tollgate_requests_total", "route=\"test/up\"");
  }

  @Test
  void aClientPausingInsideItsUploadLongerThanTheRouteTimeoutGetsTheAnswer() throws Exception {
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      client.setSoTimeout(10_000);
      OutputStream out = client.getOutputStream();
      out.write(
          "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\nConnection: close\r\n\r\na"
              .getBytes(ISO_8859_1));
      out.flush();
      Thread.sleep(2_500); // past the route's 1 s timeout, well within the 60 s body timeout
      out.write('b');
      out.flush();

      String answer = new String(client.getInputStream().readAllBytes(), ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("body-bytes: 2");
    }
  }
}
