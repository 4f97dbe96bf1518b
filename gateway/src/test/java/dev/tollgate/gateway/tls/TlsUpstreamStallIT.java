package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
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
 * and every other upstream's deadline still holds afterwards. Closing the TLS socket from the JVM's
 * one deadline sweeper used to wait for the TLS record lock, held by the request blocked in its
 * write: the sweeper hung, and no upstream deadline was enforced again.
 */
class TlsUpstreamStallIT {
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
}
