package dev.tollgate.gateway.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  void jdkClientUpgradesToH2cForARequestWithoutBodyAndStaysOnHttp11WithOne() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<String> upgraded =
        client.send(
            HttpRequest.newBuilder(URI.create(url("/orders/up"))).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(Echo.parse(upgraded.body()).target()).isEqualTo("/orders/up");

    // Helidon switches protocols only for a request without a body; this one is served as is (on
    // a new connection: the first one is HTTP/2 now)
    HttpResponse<String> posted =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(url("/orders/post")))
                    .POST(HttpRequest.BodyPublishers.ofString("hello"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(posted.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(Echo.parse(posted.body()).bodyBytes()).isEqualTo(5);
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
