package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.gateway.support.WebSocketEchoServer;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSockets on the HTTPS listener past their idle timeout. A client that stopped reading leaves
 * the relay toward it blocked in a TLS write, which holds the connection's record lock: closing
 * that connection must not wait for the lock, or the one thread that ends idle and too-old
 * WebSockets waits for good and no WebSocket is ever ended again.
 */
class TlsWebSocketStallIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOST = "ws.example.test";

  private static Path dir;
  private static WebSocketEchoServer upstream;
  private static GatewayFixture gateway;
  private static SSLContext tls;

  @BeforeAll
  static void start() {
    dir = TempDirs.create("tollgate-wss");
    TestCertificates pki = TestCertificates.ca(dir, "test-ca");
    upstream = WebSocketEchoServer.start();
    gateway =
        GatewayFixture.start(
            Routes.simple("ws", "pathPrefix: /", upstream.url()),
            Map.of(
                "TOLLGATE_TLS_PORT", "0",
                "TOLLGATE_TLS_CERT_DIRS", pki.server("ws", HOST).toString(),
                "TOLLGATE_WEBSOCKET_IDLE_TIMEOUT", "1s"));
    tls = TlsClients.trusting(pki.caFile());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    TempDirs.deleteRecursively(dir);
  }

  @Test
  void aClientThatStopsReadingIsCutOffAtTheIdleTimeoutAndSoAreLaterWebSockets() throws Exception {
    double idleBefore = gateway.metricSum("tollgate_websocket_closes_total", "reason=\"idle\"");
    try (SSLSocket firehose = open("/firehose")) {
      // never read again: the relay toward this client blocks in a write once the buffers are
      // full, no byte moves, and the idle timeout ends the tunnel
      awaitMetric("tollgate_websocket_closes_total", "reason=\"idle\"", idleBefore + 1);
    }

    // the idle timeout still works for the next WebSocket: Close 1001 (going away), then closed
    try (SSLSocket quiet = open("/echo")) {
      InputStream in = quiet.getInputStream();
      byte[] close = in.readNBytes(4);
      assertThat(close[0] & 0xff).as("FIN + Close opcode").isEqualTo(0x88);
      assertThat(((close[2] & 0xff) << 8) | (close[3] & 0xff)).as("status").isEqualTo(1001);
    }
    awaitMetric("tollgate_websocket_closes_total", "reason=\"idle\"", idleBefore + 2);
    awaitMetric("tollgate_websocket_connections", "", 0);
  }

  /** A WebSocket to {@code path} on the HTTPS port, its 101 read, taking few bytes unread. */
  private static SSLSocket open(String path) throws IOException {
    SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
    // a small window, so that the relay toward a client that does not read soon blocks
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", gateway.httpsPort()));
    socket.setSoTimeout((int) WAIT.toMillis());
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(HOST)));
    socket.setSSLParameters(parameters);
    socket
        .getOutputStream()
        .write(
            ("GET "
                    + path
                    + " HTTP/1.1\r\nHost: "
                    + HOST
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    assertThat(RawUpstream.readHead(socket.getInputStream())).startsWith("HTTP/1.1 101 ");
    return socket;
  }

  private static void awaitMetric(String name, String label, double expected) {
    await(name + "{" + label + "} == " + expected)
        .atMost(WAIT)
        .until(() -> gateway.metricSum(name, label) == expected);
  }
}
