package dev.tollgate.gateway.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawH2;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.TempDirs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 over TLS on the HTTPS listener, agreed by ALPN: {@code curl --http2} gets h2 with the same
 * routing and forwarding headers as HTTP/1.1, and a client offering only {@code http/1.1} still
 * gets HTTP/1.1.
 */
class Http2OverTlsIT {
  private static final String HOST = "gw.example.test";

  private static Path dir;
  private static TestCertificates pki;
  private static TestUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    dir = TempDirs.create("tollgate-h2-tls");
    pki = TestCertificates.ca(dir, "test-ca");
    Path certificate = pki.server("gw", HOST);
    upstream = TestUpstream.echo("orders");
    gateway =
        GatewayFixture.start(
            Routes.simple("orders", "pathPrefix: /orders", upstream.url()),
            Map.of("TOLLGATE_TLS_PORT", "0", "TOLLGATE_TLS_CERT_DIRS", certificate.toString()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    TempDirs.deleteRecursively(dir);
  }

  private static Curl.Response curl(String version, String target) {
    int port = gateway.httpsPort();
    return Curl.run(
        version,
        "--cacert",
        pki.caFile().toString(),
        "--resolve",
        HOST + ":" + port + ":127.0.0.1",
        "https://" + HOST + ":" + port + target);
  }

  @Test
  void alpnAgreesOnH2AndTheRequestIsRoutedAsOverHttp1() {
    Curl.Response response = curl("--http2", "/orders/7?q=1");
    assertThat(response.version()).isEqualTo("2");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("x-request-id")).isNotBlank();
    Echo echo = Echo.parse(response.text());
    assertThat(echo.upstream()).isEqualTo("orders");
    assertThat(echo.target()).isEqualTo("/orders/7?q=1");
    assertThat(echo.header("x-forwarded-proto")).isEqualTo("https");
    assertThat(echo.header("x-forwarded-host")).isEqualTo(HOST + ":" + gateway.httpsPort());
    assertThat(echo.header("host")).isEqualTo("127.0.0.1:" + upstream.port());
  }

  @Test
  void clientOfferingOnlyHttp11GetsHttp11() {
    Curl.Response response = curl("--http1.1", "/orders/1");
    assertThat(response.version()).isEqualTo("1.1");
    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void problemsAreTheSameOverH2() {
    Curl.Response response = curl("--http2", "/nowhere");
    assertThat(response.version()).isEqualTo("2");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("content-type")).isEqualTo("application/problem+json");
    assertThat(response.text()).contains("urn:tollgate:problem:no-route");
  }

  @Test
  void plainPortStillSpeaksH2cBesideTheHttpsListener() {
    try (RawH2 client = RawH2.connect(gateway.port())) {
      client.request(1, "GET", "/orders/1", Map.of(), true);
      assertThat(client.awaitStatus(1)).isEqualTo(200);
    }
  }
}
