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
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code https://} upstream that stops reading a request body is cut off at the route's timeout,
 * and every other upstream's deadline still holds afterwards; a WebSocket whose {@code https://}
 * upstream stops reading ends at its idle timeout. Closing the TLS socket from the JVM's one
 * deadline sweeper used to wait for the TLS record lock, held by the request blocked in its write:
 * the sweeper hung, and no upstream deadline was enforced again.
 */
class TlsUpstreamStallIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : opened.reversed()) {
      resource.close();
    }
  }

  @Test
  void aTlsUpstreamThatStopsReadingIsCutOffAndOtherDeadlinesStillHold() throws Exception {
    Path dir = TempDirs.create("tls-stall");
    opened.add(() -> TempDirs.deleteRecursively(dir));
    TestCertificates ca = TestCertificates.ca(dir, "ca");
    // shakes hands, then never reads
    HoldingServer stalling = HoldingServer.tls(ca, s -> ((SSLSocket) s).startHandshake());
    opened.add(stalling);
    HoldingServer silent = HoldingServer.silent();
    opened.add(silent);
    GatewayFixture gateway =
        GatewayFixture.start(
            route("upload", "/upload", "https://127.0.0.1:" + stalling.port())
                + route("hang", "/hang", "http://127.0.0.1:" + silent.port()),
            Map.of("TOLLGATE_UPSTREAM_CA_FILE", ca.caFile().toString()));
    opened.add(gateway);
    assertThat(gateway.get("/hang").statusCode()).isEqualTo(504);

    Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port());
    opened.add(client);
    Thread.ofVirtual().start(() -> uploadForever(client));
    // the upload's attempt ends (its time is recorded) once its connection was cut off
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                gateway
                    .metricLine("tollgate_upstream_duration_seconds_count{route=\"test/upload\"")
                    .isPresent());

    assertThat(gateway.get("/hang").statusCode()).isEqualTo(504);
  }

  private static void uploadForever(Socket client) {
    try {
      OutputStream out = client.getOutputStream();
      out.write(
          "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 268435456\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      byte[] piece = new byte[64 * 1024];
      while (true) {
        out.write(piece);
      }
    } catch (IOException e) {
      // the gateway ended the connection
    }
  }

  private static String route(String name, String prefix, String endpoint) {
    return Routes.route(
        name,
        """
        match:
          pathPrefix: %s
        backend:
          endpoints: [%s]
          timeout: 500ms
        """
            .formatted(prefix, endpoint));
  }

  /**
   * The relay toward an upstream that stopped reading blocks in a TLS write holding that
   * connection's record lock; when the idle timeout ends the tunnel, closing the upstream
   * connection must not wait for that lock, or the tunnel never ends and keeps its place under the
   * WebSocket cap for good.
   */
  @Test
  void aTunnelWhoseTlsUpstreamStopsReadingEndsAtTheIdleTimeout() throws Exception {
    Path dir = TempDirs.create("wss-upstream-stall");
    opened.add(() -> TempDirs.deleteRecursively(dir));
    TestCertificates ca = TestCertificates.ca(dir, "ca");
    // answers the handshake with 101, then reads nothing
    HoldingServer upstream = HoldingServer.tls(ca, TlsUpstreamStallIT::switchProtocols);
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
