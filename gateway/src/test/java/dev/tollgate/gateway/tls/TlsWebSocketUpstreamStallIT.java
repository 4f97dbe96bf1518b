package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket whose {@code https://} upstream stops reading while the client keeps sending. The
 * relay toward the upstream blocks in a TLS write holding that connection's record lock; when the
 * idle timeout ends the tunnel, closing the upstream connection must not wait for that lock, or the
 * tunnel never ends and keeps its place under the WebSocket cap for good.
 */
class TlsWebSocketUpstreamStallIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : opened.reversed()) {
      resource.close();
    }
  }

  @Test
  void aTunnelWhoseTlsUpstreamStopsReadingEndsAtTheIdleTimeout() throws Exception {
    Path dir = TempDirs.create("wss-upstream-stall");
    opened.add(() -> TempDirs.deleteRecursively(dir));
    TestCertificates ca = TestCertificates.ca(dir, "ca");
    // answers the handshake with 101, then reads nothing
    HoldingServer upstream = HoldingServer.tls(ca, TlsWebSocketUpstreamStallIT::switchProtocols);
    opened.add(upstream);
    GatewayFixture gateway =
        GatewayFixture.start(
            Routes.simple("ws", "pathPrefix: /", "https://127.0.0.1:" + upstream.port()),
            Map.of(
                "TOLLGATE_UPSTREAM_CA_FILE",
                ca.caFile().toString(),
                "TOLLGATE_WEBSOCKET_IDLE_TIMEOUT",
                "1s"));
    opened.add(gateway);
    double idleBefore = gateway.metricSum("tollgate_websocket_closes_total", "reason=\"idle\"");

    Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
    opened.add(client);
    client.setSoTimeout((int) WAIT.toMillis());
    client
        .getOutputStream()
        .write(
            ("GET /stream HTTP/1.1\r\nHost: ws.example.test\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(RawUpstream.readHead(client.getInputStream())).startsWith("HTTP/1.1 101 ");
    Thread.ofVirtual().start(() -> sendForever(client));

    await("the tunnel ended")
        .atMost(WAIT)
        .until(
            () ->
                gateway.metricSum("tollgate_websocket_closes_total", "reason=\"idle\"")
                        == idleBefore + 1
                    && gateway.metricSum("tollgate_websocket_connections", "") == 0);
  }

  private static void switchProtocols(Socket accepted) throws IOException {
    RawUpstream.readHead(accepted.getInputStream());
    accepted
        .getOutputStream()
        .write(
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
  }

  /** Masked binary frames of 16 KiB, until the gateway ends the connection. */
  private static void sendForever(Socket client) {
    byte[] frame = new byte[4 + 4 + 16 * 1024];
    frame[0] = (byte) 0x82; // FIN + binary
    frame[1] = (byte) (0x80 | 126); // masked, 16-bit length
    frame[2] = (byte) 0x40; // 16,384
    try {
      OutputStream out = client.getOutputStream();
      while (true) {
        out.write(frame);
      }
    } catch (IOException e) {
      // the gateway ended the connection
    }
  }
}
