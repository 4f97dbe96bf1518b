package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An upstream may end a response body by closing the connection, without Content-Length or chunked
 * encoding (RFC 9112, section 6.3, rule 8): CGI servers such as busybox httpd do. The gateway
 * relays such a body whole, with a 200.
 */
class CloseDelimitedBodyIT {
  private static final String BODY = "line one\nline two\n".repeat(500);

  private static ServerSocket upstream;
  private static Thread acceptor;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() throws IOException {
    upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(CloseDelimitedBodyIT::serve);
    gateway =
        GatewayFixture.start(
            Routes.simple("cgi", "pathPrefix: /", "http://127.0.0.1:" + upstream.getLocalPort()));
  }

  @AfterAll
  static void stop() throws IOException {
    gateway.close();
    upstream.close();
    acceptor.interrupt();
  }

  /** Answers each request with headers only, then the body, then closes the connection. */
  private static void serve() {
    while (!upstream.isClosed()) {
      try (Socket socket = upstream.accept()) {
        readHeaders(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + BODY)
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        if (!upstream.isClosed()) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private static void readHeaders(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
  }

  @Test
  void relaysABodyEndedByTheUpstreamClosingTheConnection() {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = gateway.get("/echo/" + i);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(BODY);
    }
  }
}
