package dev.tollgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.v1alpha1.RouteAuth.JwtMode;
import dev.tollgate.gateway.auth.TestKeys.SigningKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class BearerAuthenticatorTest {
  static final SigningKey RSA = TestKeys.rsa("rsa-1");

  private final BearerAuthenticator authenticator =
      new BearerAuthenticator(JwtVerifierTest.verifier(JwtVerifierTest.fixedKeys(RSA)));

  private final String valid = "Bearer " + TestKeys.token(RSA, "alice", c -> {});
  private final String expired =
      "Bearer "
          + TestKeys.sign(
              RSA,
              TestKeys.claims("alice")
                  .issueTime(java.time.Instant.now().minusSeconds(7200))
                  .notBefore(java.time.Instant.now().minusSeconds(7200))
                  .expirationTime(java.time.Instant.now().minusSeconds(3600)));

  @Test
  void requiredAnswersMissingTokenWithARealmOnlyChallenge() {
    assertThatThrownBy(() -> authenticator.authenticate(JwtMode.REQUIRED, List.of()))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> {
              assertThat(e.status().code()).isEqualTo(401);
              assertThat(e.headers())
                  .containsEntry("WWW-Authenticate", "Bearer realm=\"tollgate\"");
            });
  }

  @Test
  void requiredTreatsAnotherSchemeAsMissing() {
    assertThatThrownBy(
            () -> authenticator.authenticate(JwtMode.REQUIRED, List.of("Basic YWxpY2U6cHc=")))
        .isInstanceOfSatisfying(
            UnauthorizedException.class, e -> assertThat(e.challenge()).doesNotContain("error="));
  }

  @Test
  void requiredAnswersBadTokenWithInvalidTokenChallenge() {
    assertThatThrownBy(() -> authenticator.authenticate(JwtMode.REQUIRED, List.of(expired)))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e ->
                assertThat(e.challenge())
                    .isEqualTo(
                        "Bearer realm=\"tollgate\", error=\"invalid_token\","
                            + " error_description=\"The access token expired.\""));
  }

  @Test
  void requiredAcceptsAValidTokenWithAnyCaseScheme() {
    assertThat(authenticator.authenticate(JwtMode.REQUIRED, List.of(valid)).subject())
        .contains("alice");
    assertThat(
            authenticator
                .authenticate(JwtMode.REQUIRED, List.of("bEaReR " + valid.substring(7)))
                .subject())
        .contains("alice");
  }

  @Test
  void aSecondAuthorizationLineIsRefusedWhateverTheLinesHold() {
    for (JwtMode mode : List.of(JwtMode.REQUIRED, JwtMode.OPTIONAL)) {
      for (List<String> lines :
          List.of(List.of(valid, valid), List.of("Basic YWxpY2U6cHc=", valid), List.of("", ""))) {
        assertThatThrownBy(() -> authenticator.authenticate(mode, lines))
            .isInstanceOfSatisfying(
                UnauthorizedException.class,
                e -> assertThat(e.challenge()).contains("error=\"invalid_request\""));
      }
    }
    assertThat(authenticator.authenticate(JwtMode.NONE, List.of(valid, "x")).isAnonymous())
        .isTrue();
  }

  @Test
  void aTabAfterTheSchemeStillMakesABearerToken() {
    // upstream frameworks commonly split the header on any whitespace, so this is a bearer token
    assertThat(BearerAuthenticator.bearerToken("Bearer\tabc")).contains("abc");
    assertThat(BearerAuthenticator.bearerToken("bearer \t abc")).contains("abc");
    assertThat(BearerAuthenticator.bearerToken("Bearer\t")).contains("");
    assertThat(BearerAuthenticator.bearerToken("Basic\tabc")).isEmpty();
    assertThat(BearerAuthenticator.bearerToken("Bearerabc")).isEmpty();
  }

  @Test
  void optionalIsAnonymousWithoutTokenButRefusesABadOne() {
    assertThat(authenticator.authenticate(JwtMode.OPTIONAL, List.of()).isAnonymous()).isTrue();
    assertThat(authenticator.authenticate(JwtMode.OPTIONAL, List.of(valid)).subject())
        .contains("alice");
    assertThatThrownBy(() -> authenticator.authenticate(JwtMode.OPTIONAL, List.of(expired)))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> authenticator.authenticate(JwtMode.OPTIONAL, List.of("Bearer ")))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void noneIgnoresEvenABrokenToken() {
    assertThat(
            authenticator.authenticate(JwtMode.NONE, List.of("Bearer not.a.token")).isAnonymous())
        .isTrue();
  }
}
