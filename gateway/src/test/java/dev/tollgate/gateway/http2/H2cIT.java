package dev.tollgate.gateway.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/2 without TLS (h2c) on the public port, through a real gateway to an HTTP/1.1 upstream. */
class H2cIT {
  private static TestUpstream orders;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    orders = TestUpstream.echo("orders");
    gateway = GatewayFixture.start(Routes.simple("orders", "pathPrefix: /orders", orders.url()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    orders.close();
  }

  private String url(String target) {
    return "http://127.0.0.1:" + gateway.port() + target;
  }

  @Test
  void priorKnowledgeRequestIsRoutedToTheUpstream() {
    Curl.Response response = Curl.run("--http2-prior-knowledge", url("/orders/7?x=1"));
    assertThat(response.version()).isEqualTo("2");
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    Echo echo = Echo.parse(new String(response.body(), StandardCharsets.UTF_8));
    assertThat(echo.upstream()).isEqualTo("orders");
    assertThat(echo.target()).isEqualTo("/orders/7?x=1");
  }
}
