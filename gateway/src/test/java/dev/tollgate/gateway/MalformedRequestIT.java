package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawHttp;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that could be read differently by the gateway and the upstream, or that exceed limits,
 * are answered by the gateway with a 4xx and never reach the upstream.
 */
class MalformedRequestIT {
  private static TestUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream = TestUpstream.echo("upstream");
    gateway =
        GatewayFixture.start(
            Routes.simple("all", "pathPrefix: /", upstream.url()),
            Map.of("TOLLGATE_MAX_HEADER_SIZE", "8192", "TOLLGATE_MAX_REQUEST_LINE", "4096"));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void reset() {
    upstream.resetHits();
  }

  static Stream<Arguments> attacks() {
    String smuggled = "GET /admin HTTP/1.1\r\nHost: x\r\n\r\n";
    return Stream.of(
        Arguments.of(
            "Content-Length with Transfer-Encoding (CL.TE)",
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n0\r\n\r\n"
                + smuggled),
        Arguments.of(
            "Transfer-Encoding with Content-Length (TE.CL)",
            "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n"
                + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                + smuggled),
        Arguments.of(
            "obfuscated Transfer-Encoding",
            "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\nConnection: close\r\n\r\n"
                + "0\r\n\r\n"),
        Arguments.of(
            "two Transfer-Encoding headers",
            "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n"
                + "Connection: close\r\n\r\n0\r\n\r\n"),
        Arguments.of(
            "conflicting Content-Length headers",
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nabcde"),
        Arguments.of(
            "oversized header block",
            "GET /a HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"),
        Arguments.of(
            "oversized request line",
            "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        Arguments.of("garbage request line", "HELLO\r\n\r\n"),
        Arguments.of("missing Host", "GET /a HTTP/1.1\r\nConnection: close\r\n\r\n"),
        Arguments.of(
            "space before header colon",
            "GET /a HTTP/1.1\r\nHost: x\r\nX-Bad : 1\r\nConnection: close\r\n\r\n"),
        Arguments.of(
            "bare LF in header value",
            "GET /a HTTP/1.1\r\nHost: x\r\nX-Bad: a\nb\r\nConnection: close\r\n\r\n"),
        Arguments.of(
            "obsolete line folding",
            "GET /a HTTP/1.1\r\nHost: x\r\nX-Fold: a\r\n b\r\nConnection: close\r\n\r\n"));
  }

  @Test
  void smuggledRequestAfterAmbiguousFramingIsNeverParsed() {
    // No "Connection: close": the gateway itself must close after refusing the framing.
    RawHttp.Response response =
        RawHttp.send(
            gateway.port(),
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n"
                + "\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response.status()).isEqualTo(400);
    // Helidon may write its refusal twice before closing; what matters is that nothing after the
    // refused request was parsed as a request of its own.
    assertThat(response.text()).doesNotContain("HTTP/1.1 200", "HTTP/1.1 404");
    // A smuggled request would reach the upstream after the refusal was read: watch for a while.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> upstream.hits() == 0);
  }

  @Test
  void anOversizedHeaderBlockIsRefused431() {
    RawHttp.Response response =
        RawHttp.send(
            gateway.port(),
            "GET /a HTTP/1.1\r\nHost: x\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
    assertThat(response.status()).as(response.text()).isEqualTo(431);
  }

  @Test
  void manyHeadersOverTheBlockSizeAreRefused431() {
    RawHttp.Response response =
        RawHttp.send(
            gateway.port(),
            "GET /a HTTP/1.1\r\nHost: x\r\n"
                + "X-Part: 0123456789012345678901234567890123456789\r\n".repeat(300)
                + "Connection: close\r\n\r\n");
    assertThat(response.status()).as(response.text()).isEqualTo(431);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void isRefusedWithoutReachingTheUpstream(String name, String request) {
    RawHttp.Response response = RawHttp.send(gateway.port(), request);
    assertThat(response.status()).as(response.text()).isBetween(400, 499);
    assertThat(response.text()).containsIgnoringCase("Content-Type: application/problem+json");
    assertThat(upstream.hits()).as("requests that reached the upstream").isZero();
  }
}
