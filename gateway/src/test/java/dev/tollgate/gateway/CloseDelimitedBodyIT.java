package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import java.io.IOException;
import java.io.OutputStream;
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

  private static RawUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream = RawUpstream.start(CloseDelimitedBodyIT::serve);
    gateway = GatewayFixture.start(Routes.simple("cgi", "pathPrefix: /", upstream.url()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  /** Answers the request with headers only, then the body; the connection is closed after it. */
  private static void serve(Socket socket) throws IOException {
    RawUpstream.skipHead(socket.getInputStream());
    OutputStream out = socket.getOutputStream();
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + BODY)
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
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
