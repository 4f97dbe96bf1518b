package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.SocketEnds;
import dev.tollgate.gateway.support.TestUpstream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that asks for a response larger than the socket buffers and never reads it, against a
 * real gateway over loopback: the write to it is cut off by {@code TOLLGATE_CLIENT_SEND_TIMEOUT},
 * which gives its in-flight slot (here the only one) back to everyone else.
 */
class SlowReaderIT {
  private static final int BODY_BYTES = 64 << 20;

  @Test
  void aClientThatNeverReadsItsResponseLosesItsConnectionAndItsInFlightSlot() throws Exception {
    try (TestUpstream upstream = TestUpstream.largeBodies(BODY_BYTES);
        GatewayFixture gateway =
            GatewayFixture.start(
                Routes.simple("all", "pathPrefix: /", upstream.url()),
                Map.of(
                    "TOLLGATE_MAX_REQUESTS_IN_FLIGHT", "1",
                    "TOLLGATE_CLIENT_SEND_TIMEOUT", "1s"));
        Socket reader = new Socket()) {
      assertThat(gateway.get("/small").statusCode()).isEqualTo(200);
      // under a cap of one, the request below would be refused while that slot is still taken
      gateway.awaitNoRequestInFlight();

      reader.setReceiveBufferSize(4096);
      reader.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
      reader
          .getOutputStream()
          .write("GET /big HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      // the request is being relayed: its slot is taken
      await().atMost(Duration.ofSeconds(30)).until(() -> gateway.gateway().requestsInFlight() == 1);

      // never read: the write to the client blocks, until the send timeout cuts it off
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> gateway.get("/small").statusCode() == 200);
      gateway.awaitNoRequestInFlight();
      assertThat(gateway.metricLine("tollgate_client_timeouts_total{phase=\"send\"")).isPresent();

      // and the connection was ended: what was sent before the cut-off, then its end
      reader.setSoTimeout(30_000);
      assertThat(SocketEnds.bytesUntilEnd(reader.getInputStream()))
          .as("bytes received before the connection ended")
          .isLessThan(BODY_BYTES);
    }
  }
}
