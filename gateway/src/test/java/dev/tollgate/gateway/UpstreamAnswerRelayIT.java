package dev.tollgate.gateway;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What reaches the client of an upstream's answer that is legal but repeats itself, or that the
 * gateway cannot pass on faithfully, seen byte for byte on the client's socket.
 */
class UpstreamAnswerRelayIT {
  private static final Pattern CONTENT_LENGTH =
      Pattern.compile("(?im)^content-length:[ \\t]*([^\\r\\n]*)");

  private RawUpstream upstream;
  private GatewayFixture gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  /** RFC 9110, 8.6: a recipient replaces repeated equal lengths by one before forwarding. */
  @ParameterizedTest
  @CsvSource({
    "5, 'Content-Length: 5, 5'",
    "5, 'Content-Length: 5|Content-Length: 5'",
    "20000, 'Content-Length: 20000, 20000'",
    "20000, 'Content-Length: 20000|Content-Length: 20000'"
  })
  void aRepeatedContentLengthReachesTheClientAsOneNumber(int length, String fields)
      throws IOException {
    String body = "x".repeat(length);
    String answer =
        relayed("HTTP/1.1 200 OK\r\n" + fields.replace("|", "\r\n") + "\r\n\r\n" + body);

    String head = answer.substring(0, answer.indexOf("\r\n\r\n") + 2);
    assertThat(head).startsWith("HTTP/1.1 200");
    assertThat(CONTENT_LENGTH.matcher(head).results().map(m -> m.group(1)))
        .containsExactly(Integer.toString(length));
    assertThat(answer).endsWith("\r\n\r\n" + body);
  }

  /**
   * A coding the gateway does not decode would be lost with the hop-by-hop Transfer-Encoding, and a
   * name that is not a token is not a header field: neither answer is passed on.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "Transfer-Encoding: gzip\r\n\r\nhello",
        "X(A)\"B: 1\r\nContent-Length: 5\r\n\r\nhello"
      })
  void anAnswerTheGatewayCannotPassOnFaithfullyIs502(String rest) throws IOException {
    String answer = relayed("HTTP/1.1 200 OK\r\n" + rest);

    assertThat(answer).startsWith("HTTP/1.1 502").doesNotContain("hello").doesNotContain("X(A)");
  }

  /** The client's view of the answer to one GET, the upstream answering with {@code raw}. */
  private String relayed(String raw) throws IOException {
    upstream =
        RawUpstream.start(
            socket -> {
              RawUpstream.skipHead(socket.getInputStream());
              socket.getOutputStream().write(raw.getBytes(ISO_8859_1));
              socket.getOutputStream().flush();
              socket.close(); // ends an answer delimited by the close
            });
    gateway = GatewayFixture.start(Routes.simple("r", "pathPrefix: /", upstream.url()));
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      client.setSoTimeout(10_000);
      client
          .getOutputStream()
          .write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".getBytes(ISO_8859_1));
      return new String(client.getInputStream().readAllBytes(), ISO_8859_1);
    }
  }
}
