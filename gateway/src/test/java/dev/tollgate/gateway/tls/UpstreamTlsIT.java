package dev.tollgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.Echo;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.HttpsServers;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestCertificates;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.TempDirs;
import io.helidon.webserver.WebServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code https://} upstream endpoints: served when their certificate verifies against {@code
 * TOLLGATE_UPSTREAM_CA_FILE} and names the endpoint's host; answered 502 problem+json when it is
 * from another CA, unknown to the JVM's trust store (no bundle set) or for another host name.
 */
class UpstreamTlsIT {
  private static Path dir;
  private static TestCertificates upstreamCa;
  private static TestCertificates otherCa;
  private static WebServer secure;
  private static WebServer misnamed;

  @BeforeAll
  static void start() {
    dir = TempDirs.create("tollgate-upstream-tls");
    upstreamCa = TestCertificates.ca(dir, "upstream-ca");
    otherCa = TestCertificates.ca(dir, "other-ca");
    secure = httpsUpstream(upstreamCa.server("secure", "localhost", "IP:127.0.0.1"));
    misnamed = httpsUpstream(upstreamCa.server("misnamed", "elsewhere.example.test"));
  }

  @AfterAll
  static void stop() {
    secure.stop();
    misnamed.stop();
    TempDirs.deleteRecursively(dir);
  }

  private static WebServer httpsUpstream(Path pair) {
    return HttpsServers.start(pair, r -> r.any(TestUpstream.echoHandler("secure")));
  }

  private static GatewayFixture gateway(Path caFile) {
    Map<String, String> settings = new HashMap<>();
    if (caFile != null) {
      settings.put("TOLLGATE_UPSTREAM_CA_FILE", caFile.toString());
    }
    return GatewayFixture.start(
        Routes.simple("secure", "pathPrefix: /secure", "https://127.0.0.1:" + secure.port())
            + Routes.simple(
                "misnamed", "pathPrefix: /misnamed", "https://127.0.0.1:" + misnamed.port()),
        settings);
  }

  private static void assertBadGateway(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("upstream-unreachable");
  }

  @Test
  void upstreamVerifiedAgainstTheCaBundleIsServed() {
    try (GatewayFixture gateway = gateway(upstreamCa.caFile())) {
      HttpResponse<String> response = gateway.get("/secure/1?q=2");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(Echo.parse(response.body()).target()).isEqualTo("/secure/1?q=2");
      // a second request reuses the pooled TLS connection
      assertThat(gateway.get("/secure/2").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void upstreamForAnotherHostNameIsRefused() {
    try (GatewayFixture gateway = gateway(upstreamCa.caFile())) {
      assertBadGateway(gateway.get("/misnamed/1"));
    }
  }

  @Test
  void upstreamFromAnotherCaIsRefused() {
    try (GatewayFixture gateway = gateway(otherCa.caFile())) {
      assertBadGateway(gateway.get("/secure/1"));
    }
  }

  @Test
  void withoutABundleTheJvmTrustStoreDecidesAndRefusesAPrivateCa() {
    try (GatewayFixture gateway = gateway(null)) {
      assertBadGateway(gateway.get("/secure/1"));
    }
  }
}
