package dev.tollgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.gateway.GatewaySettings;
import dev.tollgate.gateway.auth.TestKeys.SigningKey;
import dev.tollgate.gateway.support.HttpsServers;
import dev.tollgate.gateway.support.TestCertificates;
import io.helidon.webserver.WebServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JWKS endpoint served over https with a certificate from a private CA, as an issuer inside the
 * cluster (Keycloak, Dex) has it: trusted through {@code TOLLGATE_JWT_JWKS_CA_FILE} only.
 */
class HttpsJwksIT {
  private static final SigningKey KEY = TestKeys.rsa("in-cluster");

  @TempDir static Path certificates;
  private static TestCertificates issuerCa;
  private static WebServer jwksServer;

  @BeforeAll
  static void startJwksServer() {
    issuerCa = TestCertificates.ca(certificates, "issuer CA");
    jwksServer =
        HttpsServers.start(
            issuerCa.server("jwks", "localhost"),
            r -> r.get("/jwks", (req, res) -> res.send(TestKeys.jwks(KEY))));
  }

  @AfterAll
  static void stopJwksServer() {
    jwksServer.stop();
  }

  @Test
  void trustsTheIssuersPrivateCaThroughTheJwksCaFile() throws Exception {
    JwtVerifier verifier = verifier(Map.of(JwtSettings.JWKS_CA_FILE, issuerCa.caFile().toString()));

    assertThat(verifier.verify(TestKeys.token(KEY, "alice", c -> {})).subject()).contains("alice");
  }

  @Test
  void withoutTheCaFileTheJvmsTrustStoreRefusesThePrivateCa() {
    JwtVerifier verifier = verifier(Map.of());

    assertThatThrownBy(() -> verifier.verify(TestKeys.token(KEY, "alice", c -> {})))
        .isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void aCaFileOfAnotherCaIsNotTrusted(@TempDir Path other) {
    TestCertificates otherCa = TestCertificates.ca(other, "another CA");
    JwtVerifier verifier = verifier(Map.of(JwtSettings.JWKS_CA_FILE, otherCa.caFile().toString()));

    assertThatThrownBy(() -> verifier.verify(TestKeys.token(KEY, "alice", c -> {})))
        .isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void theCertificatesHostNameIsVerified() {
    // the same server by its address, which its certificate (for localhost only) does not name
    JwtVerifier verifier =
        verifier(Map.of(JwtSettings.JWKS_CA_FILE, issuerCa.caFile().toString()), "127.0.0.1");

    assertThatThrownBy(() -> verifier.verify(TestKeys.token(KEY, "alice", c -> {})))
        .isInstanceOf(InvalidTokenException.class);
  }

  private static JwtVerifier verifier(Map<String, String> extra) {
    return verifier(extra, "localhost");
  }

  private static JwtVerifier verifier(Map<String, String> extra, String host) {
    Map<String, String> env = new HashMap<>(extra);
    env.put(JwtSettings.JWKS_URI, "https://" + host + ":" + jwksServer.port() + "/jwks");
    env.put(JwtSettings.ISSUER, TestKeys.ISSUER);
    env.put(JwtSettings.AUDIENCE, TestKeys.AUDIENCE);
    JwtSettings settings = JwtSettings.from(GatewaySettings.from(env).values());
    return new JwtVerifier(settings, settings.keySource());
  }
}
