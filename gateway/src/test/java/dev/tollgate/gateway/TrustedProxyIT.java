package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawHttp;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behind a trusted proxy the gateway extends the forwarding headers instead of replacing them. */
class TrustedProxyIT {

  @Test
  void extendsForwardedHeadersFromATrustedPeer() {
    try (TestUpstream upstream = TestUpstream.echo("upstream");
        GatewayFixture gateway =
            GatewayFixture.start(
                Routes.simple("all", "pathPrefix: /", upstream.url()),
                Map.of("TOLLGATE_TRUSTED_PROXIES", "127.0.0.0/8"))) {
      RawHttp.Response response =
          RawHttp.send(
              gateway.port(),
              "GET /x HTTP/1.1\r\n"
                  + "Host: internal.lb\r\n"
                  + "X-Forwarded-For: 203.0.113.9\r\n"
                  + "X-Forwarded-Proto: https\r\n"
                  + "X-Forwarded-Host: shop.example.com\r\n"
                  + "Connection: close\r\n\r\n");
      Echo echo = Echo.parse(response.body());
      assertThat(echo.header("x-forwarded-for")).isEqualTo("203.0.113.9, 127.0.0.1");
      assertThat(echo.header("x-forwarded-proto")).isEqualTo("https");
      assertThat(echo.header("x-forwarded-host")).isEqualTo("shop.example.com");
    }
  }
}
