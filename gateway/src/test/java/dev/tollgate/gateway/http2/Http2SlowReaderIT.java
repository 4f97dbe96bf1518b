package dev.tollgate.gateway.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawH2;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.SocketEnds;
import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.gateway.tls.TlsClients;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * An HTTP/2 client that grants the gateway all the flow-control window there is and then stops
 * reading the socket, against a real gateway over loopback. Flow control never holds the response
 * back, so the stream's writes block on the full socket instead, where Helidon has no timeout:
 * {@code TOLLGATE_CLIENT_SEND_TIMEOUT} must end the connection, which gives the stream's in-flight
 * slot (here the only one) back to everyone else. Over h2c and over TLS, whose abort must not wait
 * for the TLS connection's lock held by the blocked write.
 */
class Http2SlowReaderIT {
  private static final int BODY_BYTES = 64 << 20;
  private static final String HOST = "gw.example.test";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Path dir;
  private static SSLContext tls;
  private static TestUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    dir = TempDirs.create("tollgate-h2-slow-reader");
    TestCertificates pki = TestCertificates.ca(dir, "test-ca");
    tls = TlsClients.trusting(pki.caFile());
    upstream = TestUpstream.largeBodies(BODY_BYTES);
    gateway =
        GatewayFixture.start(
            Routes.simple("all", "pathPrefix: /", upstream.url()),
            Map.of(
                "TOLLGATE_TLS_PORT", "0",
                "TOLLGATE_TLS_CERT_DIRS", pki.server("gw", HOST).toString(),
                "TOLLGATE_MAX_REQUESTS_IN_FLIGHT", "1",
                "TOLLGATE_CLIENT_SEND_TIMEOUT", "1s"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    TempDirs.deleteRecursively(dir);
  }

  @Test
  void anH2cClientThatStopsReadingLosesItsConnectionAndItsInFlightSlot() throws IOException {
    try (Socket socket = new Socket()) {
      // a small window on the client's side, so that the gateway's writes soon block
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
      assertCutOffBySendTimeout(socket);
    }
  }

  @Test
  void anH2ClientOverTlsThatStopsReadingLosesItsConnectionAndItsInFlightSlot() throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
      socket.setReceiveBufferSize(4096);
      socket.connect(new InetSocketAddress("127.0.0.1", gateway.httpsPort()));
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(HOST)));
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
      assertCutOffBySendTimeout(socket);
    }
  }

  /**
   * Asks for the large response on {@code socket} with every window open, reads nothing, and checks
   * that the send timeout ends the connection and frees the request's in-flight slot.
   */
  private static void assertCutOffBySendTimeout(Socket socket) {
    double sendTimeouts = sendTimeouts();
    // the other test's last request may not have given its slot back yet: under a cap of one,
    // this one would be refused
    gateway.awaitNoRequestInFlight();
    RawH2 client = RawH2.over(socket);
    // the whole window for each stream, and for the connection: flow control never waits
    client.setting(RawH2.INITIAL_WINDOW_SIZE, RawH2.MAX_WINDOW);
    client.windowUpdate(0, RawH2.MAX_WINDOW - RawH2.DEFAULT_WINDOW);
    client.request(1, "GET", "/big", Map.of(), true);
    // the request is being relayed: its slot is taken
    await().atMost(WAIT).until(() -> gateway.gateway().requestsInFlight() == 1);

    // never read: the write to the client blocks, until the send timeout cuts it off
    await("another client served: the stalled stream's in-flight slot given back")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> gateway.get("/small").statusCode() == 200);
    gateway.awaitNoRequestInFlight();
    // counted by the sweeper just after it closed the socket: possibly after the slot came back
    await("one send timeout counted").atMost(WAIT).until(() -> sendTimeouts() == sendTimeouts + 1);

    // and the connection was ended: what was sent before the cut-off, then its end
    try {
      socket.setSoTimeout((int) WAIT.toMillis());
      assertThat(SocketEnds.bytesUntilEnd(socket.getInputStream()))
          .as("bytes received before the connection ended")
          .isLessThan(BODY_BYTES);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static double sendTimeouts() {
    return gateway.metricSum("tollgate_client_timeouts_total", "phase=\"send\"");
  }
}
