package dev.tollgate.gateway.http2;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawH2;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP/2 framing carries any bytes in a field name or a path; HTTP/1.1 to the upstream cannot. Such
 * a request gets 400 and never reaches the upstream (a name {@code forwarded:for=203.0.113.9} would
 * be read there as a Forwarded field the client chose), and a client sending them, however often,
 * cannot open the endpoint's circuit.
 */
class Http2UnforwardableFieldsIT {
  private static final LinkedBlockingQueue<String> HEADS = new LinkedBlockingQueue<>();
  private static RawUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream =
        RawUpstream.start(
            socket -> {
              InputStream in = socket.getInputStream();
              String head = RawUpstream.readHead(in);
              if (!head.endsWith("\r\n\r\n")) {
                return; // the gateway closed without a request
              }
              HEADS.add(head);
              socket
                  .getOutputStream()
                  .write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(ISO_8859_1));
              in.read(); // until the gateway closes
            });
    gateway =
        GatewayFixture.start(
            Routes.route(
                "all",
                """
                match:
                  pathPrefix: /
                backend:
                  endpoints: [%s]
                  circuitBreaker: {failureRatio: 50, volume: 4, delay: 30s}
                """
                    .formatted(upstream.url())));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void forget() {
    HEADS.clear();
  }

  @ParameterizedTest
  @ValueSource(strings = {"forwarded:for=203.0.113.9", "x-real-ip:203.0.113.9", "x-a b", "x-a\"b"})
  void aFieldNameThatIsNotATokenIs400AndNeverForwarded(String name) throws Exception {
    assertRefusedFiveTimesThenServed("GET", "/", Map.of(name, "x"));
  }

  /** (A method that is not a token never gets this far: Helidon ends the connection.) */
  @ParameterizedTest
  @ValueSource(strings = {"/?a\tb", "/?q=caf\u00e9"})
  void aPathHttp11CannotCarryIs400AndNeverForwarded(String path) throws Exception {
    assertRefusedFiveTimesThenServed("GET", path, Map.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a%zz", "/public\\..\\admin", "/a b", "/a\u0001b", "/caf\u00e9"})
  void aPathTheGatewayRefusesIs400AndNeverForwarded(String path) throws Exception {
    assertRefusedFiveTimesThenServed("GET", path, Map.of());
  }

  /**
   * One stream's bad path is that stream's 400: the connection and its other streams go on (a front
   * proxy multiplexes many clients over one connection).
   */
  @Test
  void aBadPathEndsNeitherTheConnectionNorItsOtherStreams() throws Exception {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      client.request(1, "GET", "/a%zz", Map.of(), true);
      assertThat(client.awaitStatus(1)).isEqualTo(400);
      client.request(3, "GET", "/fine", Map.of(), true);
      assertThat(client.awaitStatus(3)).isEqualTo(204);
    }
  }

  /**
   * A length without a body (HEADERS ends the stream): forwarded, the upstream would read the next
   * request on that pooled connection as this one's body (H2.CL smuggling).
   */
  @ParameterizedTest
  @ValueSource(strings = {"24", "1"})
  void aContentLengthWithoutABodyIs400AndNeverForwarded(String length) throws Exception {
    assertRefusedFiveTimesThenServed("POST", "/", Map.of("content-length", length));
  }

  /** More refusals than the breaker's volume: had they counted, its circuit would be open. */
  private static void assertRefusedFiveTimesThenServed(
      String method, String path, Map<String, String> headers) throws Exception {
    for (int i = 0; i < 5; i++) {
      try (RawH2 client = RawH2.connect(gateway.port())) {
        client.request(1, method, path, headers, true);
        assertThat(client.awaitStatus(1)).isEqualTo(400);
      }
    }
    assertThat(HEADS).as("heads the upstream received").isEmpty();

    try (RawH2 client = RawH2.connect(gateway.port())) {
      client.request(1, "GET", "/fine", Map.of("x-fine", "yes"), true);
      assertThat(client.awaitStatus(1)).isEqualTo(204);
    }
    String head = HEADS.poll(10, TimeUnit.SECONDS);
    assertThat(head).startsWith("GET /fine HTTP/1.1\r\n").contains("\r\nx-fine: yes\r\n");
  }
}
