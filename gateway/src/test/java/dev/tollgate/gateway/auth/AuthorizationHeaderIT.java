package dev.tollgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.RawHttp;
import dev.tollgate.gateway.support.RecordingUpstream;
import dev.tollgate.gateway.support.Routes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code Authorization} header as a hostile client shapes it, end to end: whatever the gateway
 * did not verify must not reach the upstream on a route that looks at tokens.
 */
class AuthorizationHeaderIT {
  static final String SECRET = "0123456789abcdef0123456789abcdef-shared";

  private static RecordingUpstream upstream;
  private static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    upstream = new RecordingUpstream();
    gateway =
        GatewayFixture.startWithPolicies(
            route("required", "/required") + "---\n" + route("optional", "/optional"),
            Map.of(
                "TOLLGATE_JWT_HMAC_SECRET", SECRET,
                "TOLLGATE_JWT_ISSUER", TestKeys.ISSUER,
                "TOLLGATE_JWT_AUDIENCE", TestKeys.AUDIENCE));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void reset() {
    upstream.reset();
  }

  private static String route(String mode, String prefix) {
    return Routes.route(
        mode,
        """
        match:
          pathPrefix: %s
        backend:
          endpoints: [%s]
        auth:
          jwt: %s
        """
            .formatted(prefix, upstream.url(), mode));
  }

  private static String token(String subject, String secret) {
    return TestKeys.hmacSigned(
        "{\"alg\":\"HS256\"}", TestKeys.payload(subject), secret.getBytes(StandardCharsets.UTF_8));
  }

  private static final String ALICE = token("alice", SECRET);
  private static final String FORGED =
      token("root", "not-the-secret-not-the-secret-not-the-secret");

  private static RawHttp.Response get(String path, String headerLines) {
    return RawHttp.send(
        gateway.port(),
        "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + headerLines + "Connection: close\r\n\r\n");
  }

  private static void assertRefusedBeforeTheUpstream(RawHttp.Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(401);
    assertThat(response.text())
        .contains("Content-Type: application/problem+json")
        .contains("WWW-Authenticate: Bearer realm=\"tollgate\", error=");
    assertThat(upstream.seen()).as("requests the upstream saw").isEmpty();
  }

  @Test
  void aValidTokenPassesWithItsSubject() {
    assertThat(get("/required/ok", "Authorization: Bearer " + ALICE + "\r\n").status())
        .isEqualTo(200);
    assertThat(upstream.last("/required/ok").header("x-tollgate-subject")).isEqualTo("alice");
  }

  @Test
  void aSecondAuthorizationLineIsRefusedEvenAfterAValidToken() {
    // The gateway verified the first line while the upstream received both, joined: an upstream
    // reading the last credential would act on a token nobody checked.
    assertRefusedBeforeTheUpstream(
        get(
            "/required/two",
            "Authorization: Bearer " + ALICE + "\r\nAuthorization: Bearer " + FORGED + "\r\n"));
  }

  @Test
  void anotherSchemeBeforeAForgedBearerTokenDoesNotMakeAnOptionalRouteAnonymous() {
    assertRefusedBeforeTheUpstream(
        get(
            "/optional/two",
            "Authorization: Basic YWxpY2U6cHc=\r\nAuthorization: Bearer " + FORGED + "\r\n"));
  }

  @Test
  void aForgedTokenAfterATabIsVerifiedNotPassedOnAsAnotherScheme() {
    assertRefusedBeforeTheUpstream(
        get("/optional/tab", "Authorization: Bearer\t" + FORGED + "\r\n"));
  }

  @Test
  void aValidTokenAfterATabIsAccepted() {
    assertThat(get("/required/tab", "Authorization: Bearer\t" + ALICE + "\r\n").status())
        .isEqualTo(200);
    assertThat(upstream.last("/required/tab").header("x-tollgate-subject")).isEqualTo("alice");
  }

  @Test
  void anOptionalRouteStillPassesOneHeaderOfAnotherSchemeAsAnonymous() {
    assertThat(get("/optional/basic", "Authorization: Basic YWxpY2U6cHc=\r\n").status())
        .isEqualTo(200);
    assertThat(upstream.last("/optional/basic").header("x-tollgate-subject")).isNull();
  }
}
