package dev.tollgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtSettingsTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  void defaultsToAsymmetricAlgorithmsAndThirtySecondsLeeway() {
    JwtSettings settings = JwtSettings.from(Map.<String, String>of()::get);

    assertThat(settings.algorithms())
        .containsExactlyInAnyOrder(
            SignatureAlgorithm.RS256, SignatureAlgorithm.ES256, SignatureAlgorithm.PS256);
    assertThat(settings.leeway()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.keySource().current().keys()).isEmpty();
  }

  @Test
  void addsHs256OnlyWhenASecretIsSet() {
    JwtSettings settings = JwtSettings.from(Map.of(JwtSettings.HMAC_SECRET, SECRET)::get);

    assertThat(settings.algorithms()).contains(SignatureAlgorithm.HS256);
  }

  @Test
  void refusesHmacAlgorithmsWithoutSecret() {
    assertThatThrownBy(() -> JwtSettings.from(Map.of(JwtSettings.ALGORITHMS, "RS256,HS256")::get))
        .hasMessage(
            "TOLLGATE_JWT_ALGORITHMS allows an HS* algorithm but TOLLGATE_JWT_HMAC_SECRET is not set");
  }

  @Test
  void refusesShortSecretUnknownAlgorithmAndTwoKeySources() {
    assertThatThrownBy(() -> JwtSettings.from(Map.of(JwtSettings.HMAC_SECRET, "short")::get))
        .hasMessage("TOLLGATE_JWT_HMAC_SECRET must be at least 32 bytes");
    assertThatThrownBy(() -> JwtSettings.from(Map.of(JwtSettings.ALGORITHMS, "RS256,none")::get))
        .hasMessageStartingWith("TOLLGATE_JWT_ALGORITHMS names unsupported algorithm 'none'");
    assertThatThrownBy(
            () ->
                JwtSettings.from(
                    Map.of(
                            JwtSettings.JWKS_URI, "https://127.0.0.1:1/jwks",
                            JwtSettings.JWKS_FILE, "/tmp/jwks.json")
                        ::get))
        .hasMessageContaining("both set");
  }

  @Test
  void refusesAPlainHttpJwksUriUnlessExplicitlyAllowed() {
    assertThatThrownBy(
            () ->
                JwtSettings.from(Map.of(JwtSettings.JWKS_URI, "http://issuer.internal/jwks")::get))
        .hasMessage(
            "TOLLGATE_JWT_JWKS_URI must be an https:// URL"
                + " (set TOLLGATE_JWT_JWKS_ALLOW_HTTP=true to allow http)");
    assertThatThrownBy(
            () -> JwtSettings.from(Map.of(JwtSettings.JWKS_URI, "file:///etc/jwks.json")::get))
        .hasMessage("TOLLGATE_JWT_JWKS_URI must be an https:// URL");
    assertThat(
            JwtSettings.from(
                    Map.of(
                            JwtSettings.JWKS_URI, "http://127.0.0.1:1/jwks",
                            JwtSettings.JWKS_ALLOW_HTTP, "true")
                        ::get)
                .jwksUri())
        .isPresent();
  }

  @Test
  void readsIssuerAudienceAndLeeway() {
    JwtSettings settings =
        JwtSettings.from(
            Map.of(
                    JwtSettings.ISSUER, "https://id.example",
                    JwtSettings.AUDIENCE, "orders",
                    JwtSettings.LEEWAY, "5s")
                ::get);

    assertThat(settings.issuer()).contains("https://id.example");
    assertThat(settings.audience()).contains("orders");
    assertThat(settings.leeway()).isEqualTo(Duration.ofSeconds(5));
  }
}
