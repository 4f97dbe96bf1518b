package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawH2;
import dev.tollgate.gateway.support.RawHttp;
import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.Routes;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What browsers send unencoded in a query (brackets, pipes, braces, a caret) and a bare or
 * malformed percent sign: nginx and Envoy pass them, and so does the gateway, byte for byte, over
 * HTTP/1.1 as over HTTP/2.
 */
class QueryPassthroughIT {
  private static final String QUERY = "?filter[name]=a|b&sort={x}^&off=50%&q=%zz";
  private static final LinkedBlockingQueue<String> HEADS = new LinkedBlockingQueue<>();
  private static RawUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream = RawUpstream.recording(HEADS, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
    gateway = GatewayFixture.start(Routes.simple("all", "pathPrefix: /", upstream.url()));
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

  @Test
  void overHttp11() throws Exception {
    RawHttp.Response response =
        RawHttp.send(
            gateway.port(),
            "GET /search" + QUERY + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");

    assertThat(response.status()).as(response.text()).isEqualTo(204);
    assertThat(HEADS.poll(10, TimeUnit.SECONDS))
        .startsWith("GET /search" + QUERY + " HTTP/1.1\r\n");
  }

  @Test
  void overHttp2() throws Exception {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      client.request(1, "GET", "/search" + QUERY, Map.of(), true);
      assertThat(client.awaitStatus(1)).isEqualTo(204);
    }
    assertThat(HEADS.poll(10, TimeUnit.SECONDS))
        .startsWith("GET /search" + QUERY + " HTTP/1.1\r\n");
  }
}
