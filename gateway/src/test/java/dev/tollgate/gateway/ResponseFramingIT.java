package dev.tollgate.gateway;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Upstream answers reach an HTTP/1.1 client framed so that the next response on its connection
 * starts where it should: answers that never have a body (RFC 9110 6.4.1: 204, 304, any answer to
 * HEAD), also when the upstream names the representation's length, as RFC 9110 8.6 allows on a 304;
 * and a body of unknown length to a client that accepts trailers.
 */
class ResponseFramingIT {
  private static RawUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream =
        RawUpstream.start(
            socket -> {
              InputStream in = socket.getInputStream();
              OutputStream out = socket.getOutputStream();
              String head;
              while ((head = RawUpstream.readHead(in)).endsWith("\r\n\r\n")) {
                String target = head.split(" ")[1];
                out.write(answer(target).getBytes(ISO_8859_1));
                out.flush();
              }
            });
    gateway = GatewayFixture.start(Routes.simple("all", "pathPrefix: /", upstream.url()));
  }

  private static String answer(String target) {
    return switch (target) {
      case "/not-modified-with-length" ->
          "HTTP/1.1 304 Not Modified\r\nContent-Length: 500\r\nETag: \"v1\"\r\n\r\n";
      case "/not-modified" -> "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n";
      case "/no-content-with-length" -> "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";
      case "/chunked" ->
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";
      default -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nETag: \"v1\"\r\n\r\nok";
    };
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @ParameterizedTest
  @CsvSource({
    "GET, /not-modified-with-length, 304",
    "GET, /not-modified, 304",
    "GET, /no-content-with-length, 204",
    "HEAD, /not-modified-with-length, 304",
  })
  void isRelayedWithoutABodyAndTheConnectionServesTheNextRequest(
      String method, String target, int status) throws IOException {
    String answers =
        exchange(
            method
                + " "
                + target
                + " HTTP/1.1\r\nHost: test\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");

    assertThat(answers).startsWith("HTTP/1.1 " + status + " ");
    assertThat(answers)
        .containsIgnoringCase("etag: \"v1\"")
        .contains("\r\n\r\nHTTP/1.1 200 OK\r\n")
        .endsWith("\r\n\r\nok");
  }

  /**
   * A client that accepts trailers ({@code TE: trailers}, as Envoy sends it to HTTP/1.1 upstreams)
   * gets a body of unknown length framed so that the next response on its connection starts where
   * it should.
   */
  @Test
  void aClientAcceptingTrailersGetsAFramedBodyAndTheNextResponse() throws IOException {
    String answers =
        exchange(
            "GET /chunked HTTP/1.1\r\nHost: test\r\nTE: trailers\r\n\r\n"
                + "GET /next HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");

    String first = answers.substring(0, answers.indexOf("\r\n\r\n"));
    assertThat(first)
        .startsWith("HTTP/1.1 200 ")
        .containsIgnoringCase("transfer-encoding: chunked");
    assertThat(answers).contains("\r\n2\r\nok\r\n0\r\n").endsWith("\r\n\r\nok");
    assertThat(answers.split("HTTP/1.1 ", -1)).as(answers).hasSize(3);
  }

  /** Sends {@code requests} on one connection and reads until the gateway closes it. */
  private static String exchange(String requests) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(requests.getBytes(ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), ISO_8859_1);
    }
  }
}
