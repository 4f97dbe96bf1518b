package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.Curl;
import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.testkit.ExternalCommand;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTPS listener with two certificates, called by curl with SNI: each name gets the certificate
 * naming it (curl verifies the host name against the CA), unknown names and clients without SNI get
 * the default, and requests are routed as on plain HTTP.
 */
class SniIT {
  private static HttpsSetup setup;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    setup = new HttpsSetup("tollgate-sni");
    Path alpha = setup.pki.server("alpha", "alpha.example.test");
    Path beta = setup.pki.server("beta", "beta.example.test", "*.beta.example.test");
    gateway =
        setup.gateway(
            "/orders",
            Map.of("TOLLGATE_TLS_PORT", "0", "TOLLGATE_TLS_CERT_DIRS", alpha + "," + beta));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    setup.close();
  }

  private static ExternalCommand.Result curl(String host, String... args) {
    int port = gateway.httpsPort();
    return Curl.verbose(host, port, "https://" + host + ":" + port + "/orders/7?q=1", args);
  }

  @ParameterizedTest
  @CsvSource({
    "alpha.example.test, CN=alpha.example.test",
    "beta.example.test, CN=beta.example.test",
    "api.beta.example.test, CN=beta.example.test",
    "ALPHA.Example.Test, CN=alpha.example.test"
  })
  void servesTheCertificateNamingTheRequestedHost(String host, String subject) {
    ExternalCommand.Result result = curl(host, "--cacert", setup.pki.caFile().toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("subject: " + subject);
    assertThat(Curl.status(result)).isEqualTo(200);
    Echo echo = Echo.parse(result.output());
    assertThat(echo.upstream()).isEqualTo("orders");
    assertThat(echo.target()).isEqualTo("/orders/7?q=1");
    assertThat(echo.header("x-forwarded-proto")).isEqualTo("https");
  }

  @Test
  void unknownAndNestedNamesGetTheDefaultCertificate() {
    for (String host : new String[] {"other.example.test", "a.b.beta.example.test"}) {
      ExternalCommand.Result verified = curl(host, "--cacert", setup.pki.caFile().toString());
      // the default names alpha only, so a verifying client refuses it
      assertThat(verified.exitCode()).as(verified.output()).isEqualTo(60);
      ExternalCommand.Result unverified = curl(host, "--insecure");
      assertThat(unverified.output()).contains("subject: CN=alpha.example.test");
      assertThat(Curl.status(unverified)).isEqualTo(200);
    }
  }

  @Test
  void clientWithoutServerNameGetsTheDefaultCertificate() {
    int port = gateway.httpsPort();
    // an IP address in the URL: curl sends no SNI
    ExternalCommand.Result result =
        Curl.verbose("x", port, "https://127.0.0.1:" + port + "/orders/1", "--insecure");
    assertThat(result.output()).contains("subject: CN=alpha.example.test");
    assertThat(Curl.status(result)).isEqualTo(200);
  }

  @Test
  void refusesTls11AndOffersTls13() {
    ExternalCommand.Result old = curl("alpha.example.test", "--insecure", "--tls-max", "1.1");
    assertThat(old.exitCode()).as(old.output()).isNotZero();
    assertThat(Curl.status(old)).isZero();
    ExternalCommand.Result current = curl("alpha.example.test", "--insecure");
    assertThat(current.output()).contains("TLSv1.3");
  }

  @Test
  void plainPortStillServesHttp() {
    assertThat(gateway.get("/orders/1").statusCode()).isEqualTo(200);
  }
}
