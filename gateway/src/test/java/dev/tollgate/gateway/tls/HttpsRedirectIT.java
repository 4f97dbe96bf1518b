package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.FreePort;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code TOLLGATE_TLS_REDIRECT=true}: the plain port answers 308 to the same host, path and query
 * on HTTPS without routing anything, and curl following it lands on the route over HTTPS.
 */
class HttpsRedirectIT {
  private static final String HOST = "api.example.test";

  private static HttpsSetup setup;
  private static GatewayFixture gateway;
  private static int httpsPort;

  @BeforeAll
  static void start() {
    setup = new HttpsSetup("tollgate-redirect");
    Path server = setup.pki.server("server", HOST);
    httpsPort = FreePort.pick();
    gateway =
        setup.gateway(
            "/orders",
            Map.of(
                "TOLLGATE_TLS_PORT", String.valueOf(httpsPort),
                "TOLLGATE_TLS_CERT_DIRS", server.toString(),
                "TOLLGATE_TLS_REDIRECT", "true",
                "TOLLGATE_TLS_REDIRECT_PORT", String.valueOf(httpsPort)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    setup.close();
  }

  private static ExternalCommand.Result plain(String target, String... args) {
    return Curl.verbose(
        HOST, gateway.port(), "http://" + HOST + ":" + gateway.port() + target, args);
  }

  @Test
  void plainRequestsAreRedirectedWith308KeepingHostPathAndQuery() {
    int hits = setup.upstream.hits();
    for (String method : new String[] {"GET", "POST"}) {
      ExternalCommand.Result result = plain("/orders/7?q=a%20b&x=1", "-X", method);
      assertThat(Curl.status(result)).as(result.output()).isEqualTo(308);
      assertThat(result.output())
          .contains("< Location: https://" + HOST + ":" + httpsPort + "/orders/7?q=a%20b&x=1");
    }
    assertThat(setup.upstream.hits()).isEqualTo(hits);
  }

  @Test
  void curlFollowingTheRedirectIsServedOverHttps() {
    ExternalCommand.Result result =
        plain(
            "/orders/9",
            "-L",
            "--resolve",
            HOST + ":" + httpsPort + ":127.0.0.1",
            "--cacert",
            setup.pki.caFile().toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    Echo echo = Echo.parse(result.output());
    assertThat(echo.target()).isEqualTo("/orders/9");
    assertThat(echo.header("x-forwarded-proto")).isEqualTo("https");
  }
}
