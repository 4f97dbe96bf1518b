package dev.tollgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.gateway.GatewaySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtSettingsTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  void defaultsToAsymmetricAlgorithmsAndThirtySecondsLeeway() {
    JwtSettings settings = jwt(Map.of());

    assertThat(settings.algorithms())
        .containsExactlyInAnyOrder(
            SignatureAlgorithm.RS256, SignatureAlgorithm.ES256, SignatureAlgorithm.PS256);
    assertThat(settings.leeway()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.keySource().current().keys()).isEmpty();
  }

  @Test
  void addsHs256OnlyWhenASecretIsSet() {
    JwtSettings settings = jwt(Map.of(JwtSettings.HMAC_SECRET, SECRET));

    assertThat(settings.algorithms()).contains(SignatureAlgorithm.HS256);
  }

  @Test
  void refusesHmacAlgorithmsWithoutSecret() {
    assertThatThrownBy(() -> jwt(Map.of(JwtSettings.ALGORITHMS, "RS256,HS256")))
        .hasMessage(
            "TOLLGATE_JWT_ALGORITHMS allows an HS* algorithm but TOLLGATE_JWT_HMAC_SECRET is not set");
  }

  @Test
  void refusesShortSecretUnknownAlgorithmAndTwoKeySources() {
    assertThatThrownBy(() -> jwt(Map.of(JwtSettings.HMAC_SECRET, "short")))
        .hasMessage("TOLLGATE_JWT_HMAC_SECRET must be at least 32 bytes for HS256");
    assertThatThrownBy(() -> jwt(Map.of(JwtSettings.ALGORITHMS, "RS256,none")))
        .hasMessageStartingWith("TOLLGATE_JWT_ALGORITHMS names unsupported algorithm 'none'");
    assertThatThrownBy(
            () ->
                jwt(
                    Map.of(
                        JwtSettings.JWKS_URI, "https://127.0.0.1:1/jwks",
                        JwtSettings.JWKS_FILE, "/tmp/jwks.json")))
        .hasMessageContaining("both set");
  }

  @Test
  void wantsASecretAsLongAsTheHashOfTheLongestAllowedHmacAlgorithm() {
    // RFC 7518 3.2: the key must be at least as long as the hash output
    String secret48 = SECRET + "0123456789abcdef";

    assertThatThrownBy(
            () -> jwt(Map.of(JwtSettings.HMAC_SECRET, SECRET, JwtSettings.ALGORITHMS, "HS384")))
        .hasMessage("TOLLGATE_JWT_HMAC_SECRET must be at least 48 bytes for HS384");
    assertThatThrownBy(
            () ->
                jwt(
                    Map.of(
                        JwtSettings.HMAC_SECRET, secret48, JwtSettings.ALGORITHMS, "HS256,HS512")))
        .hasMessage("TOLLGATE_JWT_HMAC_SECRET must be at least 64 bytes for HS512");
    assertThat(
            jwt(Map.of(JwtSettings.HMAC_SECRET, secret48, JwtSettings.ALGORITHMS, "HS384"))
                .algorithms())
        .containsExactly(SignatureAlgorithm.HS384);
  }

  @Test
  void refusesAPlainHttpJwksUriUnlessExplicitlyAllowed() {
    assertThatThrownBy(() -> jwt(Map.of(JwtSettings.JWKS_URI, "http://issuer.internal/jwks")))
        .hasMessage(
            "TOLLGATE_JWT_JWKS_URI must be an https:// URL"
                + " (set TOLLGATE_JWT_JWKS_ALLOW_HTTP=true to allow http)");
    assertThatThrownBy(() -> jwt(Map.of(JwtSettings.JWKS_URI, "file:///etc/jwks.json")))
        .hasMessage("TOLLGATE_JWT_JWKS_URI must be an https:// URL");
    assertThat(
            jwt(Map.of(
                    JwtSettings.JWKS_URI, "http://127.0.0.1:1/jwks",
                    JwtSettings.JWKS_ALLOW_HTTP, "true"))
                .jwksUri())
        .isPresent();
  }

  @Test
  void readsIssuerAudienceAndLeeway() {
    JwtSettings settings =
        jwt(
            Map.of(
                JwtSettings.ISSUER, "https://id.example",
                JwtSettings.AUDIENCE, "orders",
                JwtSettings.LEEWAY, "5s"));

    assertThat(settings.issuer()).contains("https://id.example");
    assertThat(settings.audience()).contains("orders");
    assertThat(settings.leeway()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void refusesALeewayThatWouldKeepExpiredTokensAlive() {
    assertThat(jwt(Map.of(JwtSettings.LEEWAY, "5m")).leeway()).isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> jwt(Map.of(JwtSettings.LEEWAY, "301s")))
        .hasMessage("TOLLGATE_JWT_LEEWAY must be at most 5m, got PT5M1S");
    assertThatThrownBy(() -> jwt(Map.of(JwtSettings.LEEWAY, "24h")))
        .hasMessage("TOLLGATE_JWT_LEEWAY must be at most 5m, got PT24H");
  }

  /** The JWT settings a gateway started with {@code env} reads. */
  @Test
  void refusesAJwksCaFileWithoutAnHttpsJwksUri() {
    String caFile = "/etc/tollgate/issuer-ca.crt";
    assertThatThrownBy(() -> jwt(Map.of(JwtSettings.JWKS_CA_FILE, caFile)))
        .hasMessage(
            "TOLLGATE_JWT_JWKS_CA_FILE is set but TOLLGATE_JWT_JWKS_URI is not an https:// URL");
    assertThatThrownBy(
            () ->
                jwt(
                    Map.of(
                        JwtSettings.JWKS_CA_FILE, caFile,
                        JwtSettings.JWKS_URI, "http://issuer.internal/jwks",
                        JwtSettings.JWKS_ALLOW_HTTP, "true")))
        .hasMessageStartingWith("TOLLGATE_JWT_JWKS_CA_FILE is set but");
  }

  @Test
  void namesTheJwksCaFileWhenItIsNoCaBundle(@TempDir Path dir) throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.crt"), "not a certificate");
    JwtSettings settings =
        jwt(
            Map.of(
                JwtSettings.JWKS_URI,
                "https://127.0.0.1:1/jwks",
                JwtSettings.JWKS_CA_FILE,
                notPem.toString()));

    assertThatThrownBy(settings::keySource)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOLLGATE_JWT_JWKS_CA_FILE: " + notPem);
  }

  private static JwtSettings jwt(Map<String, String> env) {
    return JwtSettings.from(GatewaySettings.from(env).values());
  }
}
