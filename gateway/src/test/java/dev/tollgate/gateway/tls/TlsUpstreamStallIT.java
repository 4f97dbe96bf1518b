package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.testkit.TempDirs;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An {@code https://} upstream that stops reading a request body is cut off at the route's timeout,
 * and every other upstream's deadline still holds afterwards. Closing the TLS socket from the JVM's
 * one deadline sweeper used to wait for the TLS record lock, held by the request blocked in its
 * write: the sweeper hung, and no upstream deadline was enforced again.
 */
class TlsUpstreamStallIT {
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Socket socket : held) {
      socket.close();
    }
    for (AutoCloseable resource : opened.reversed()) {
      resource.close();
    }
  }

  @Test
  void aTlsUpstreamThatStopsReadingIsCutOffAndOtherDeadlinesStillHold() throws Exception {
    Path dir = TempDirs.create("tls-stall");
    TestCertificates ca = TestCertificates.ca(dir, "ca");
    Keys keys = TestCertificates.keys(ca.server("up", "localhost", "IP:127.0.0.1"));
    Tls tls =
        Tls.builder()
            .privateKey(keys.privateKey().orElseThrow())
            .privateKeyCertChain(keys.certChain())
            .build();
    SSLServerSocket stalling =
        (SSLServerSocket) tls.sslContext().getServerSocketFactory().createServerSocket();
    stalling.setReceiveBufferSize(4096);
    stalling.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    opened.add(stalling);
    holdEvery(stalling, true); // shakes hands, then never reads
    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    opened.add(silent);
    holdEvery(silent, false); // never answers
    GatewayFixture gateway =
        GatewayFixture.start(
            route("upload", "/upload", "https://127.0.0.1:" + stalling.getLocalPort())
                + route("hang", "/hang", "http://127.0.0.1:" + silent.getLocalPort()),
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

  private void holdEvery(ServerSocket server, boolean handshake) {
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                while (true) {
                  Socket accepted = server.accept();
                  held.add(accepted);
                  if (handshake) {
                    ((SSLSocket) accepted).startHandshake();
                  }
                }
              } catch (IOException e) {
                // the server closed at the end of the test
              }
            });
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
}
