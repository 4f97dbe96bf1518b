package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.testkit.ExternalCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that open connections to the HTTPS port and never finish a handshake: silent ones and one
 * that trickles a ClientHello. Each is closed once the handshake deadline (1 s here) passes,
 * however many there are (five times the listener's connection slots), so a real client waiting
 * behind them is served; a connection that finished its handshake is not affected by the deadline.
 */
class HandshakeFloodIT {
  private static final String HOST = "api.example.test";
  private static final int MAX_CONNECTIONS = 20;

  /** The HTTPS listener accepts the cap plus the refusal allowance (16 at least) at once. */
  private static final int SLOTS = MAX_CONNECTIONS + 16;

  private static final String TIMEOUTS = "tollgate_tls_handshake_timeouts_total";

  private static HttpsSetup setup;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    setup = new HttpsSetup("tollgate-handshake-flood");
    Path server = setup.pki.server("server", HOST, "IP:127.0.0.1");
    gateway =
        setup.gateway(
            "/",
            Map.of(
                "TOLLGATE_TLS_PORT",
                "0",
                "TOLLGATE_TLS_CERT_DIRS",
                server.toString(),
                "TOLLGATE_TLS_HANDSHAKE_TIMEOUT",
                "1s",
                "TOLLGATE_MAX_CONNECTIONS",
                String.valueOf(MAX_CONNECTIONS)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    setup.close();
  }

  private static double timeouts() {
    return gateway
        .metricLine(TIMEOUTS)
        .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .orElse(0.0);
  }

  @Test
  void silentConnectionsAreClosedAtTheDeadlineAndARealClientIsServedMeanwhile() throws Exception {
    double before = timeouts();
    int flood = SLOTS * 5;
    List<Socket> silent = new ArrayList<>();
    List<CompletableFuture<Boolean>> closedByGateway = new ArrayList<>();
    try {
      for (int i = 0; i < flood; i++) {
        Socket socket = new Socket("127.0.0.1", gateway.httpsPort());
        socket.setSoTimeout(60_000);
        silent.add(socket);
        closedByGateway.add(
            CompletableFuture.supplyAsync(
                () -> readsEndOfStream(socket), r -> Thread.ofVirtual().start(r)));
      }
      // every slot is held by a silent client now; a real one waits for the deadline to free one
      assertRealClientIsServed();

      for (CompletableFuture<Boolean> closed : closedByGateway) {
        assertThat(closed.get()).as("the gateway closed a silent connection").isTrue();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(timeouts() - before).isEqualTo(flood));
    } finally {
      for (Socket socket : silent) {
        socket.close();
      }
    }
  }

  @Test
  void failedHandshakesGiveTheirSlotBack() throws Exception {
    // plain HTTP on the HTTPS port: each handshake fails at once; Helidon 4.3.0 alone would keep
    // the slot of every one, and after SLOTS of them accept nothing more
    for (int i = 0; i < SLOTS * 3; i++) {
      try (Socket socket = new Socket("127.0.0.1", gateway.httpsPort())) {
        socket.setSoTimeout(20_000);
        socket
            .getOutputStream()
            .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readsEndOfStream(socket)).isTrue();
      }
    }
    assertRealClientIsServed();
  }

  @Test
  void aTricklingClientHelloDoesNotExtendTheDeadline() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", gateway.httpsPort())) {
      OutputStream out = socket.getOutputStream();
      // a TLS handshake record header, then one byte of body at a time
      out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
      CompletableFuture<Void> trickle =
          CompletableFuture.runAsync(
              () -> {
                try {
                  while (true) {
                    out.write(0x01);
                    out.flush();
                    Thread.sleep(100);
                  }
                } catch (IOException e) {
                  // the gateway closed the connection
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              r -> Thread.ofVirtual().start(r));
      await().atMost(Duration.ofSeconds(20)).until(trickle::isDone);
    }
  }

  @Test
  void anEstablishedConnectionOutlivesTheHandshakeDeadline() throws Exception {
    try (SSLSocket socket =
        TlsClients.connect(TlsClients.trusting(setup.pki.caFile()), gateway.httpsPort(), HOST)) {
      assertThat(TlsClients.get(socket, HOST, "keep-alive")).startsWith("HTTP/1.1 200");
      // idle on the established connection for several handshake deadlines
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
      assertThat(TlsClients.get(socket, HOST, "keep-alive")).startsWith("HTTP/1.1 200");
    }
  }

  private static void assertRealClientIsServed() {
    int port = gateway.httpsPort();
    ExternalCommand.Result real =
        Curl.verbose(
            HOST,
            port,
            "https://" + HOST + ":" + port + "/orders/1",
            "--cacert",
            setup.pki.caFile().toString());
    assertThat(Curl.status(real)).as(real.output()).isEqualTo(200);
  }

  /** True when the gateway closed the connection (an alert, if any, then end of stream). */
  private static boolean readsEndOfStream(Socket socket) {
    try {
      socket.getInputStream().readAllBytes();
      return true;
    } catch (IOException e) {
      // a reset is a close too; a read timeout is not
      return !(e instanceof java.net.SocketTimeoutException);
    }
  }
}
