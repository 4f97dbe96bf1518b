package dev.tollgate.gateway.auth;

import static dev.tollgate.gateway.auth.TestKeys.AUDIENCE;
import static dev.tollgate.gateway.auth.TestKeys.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.gateway.auth.InvalidTokenException.Reason;
import dev.tollgate.gateway.auth.TestKeys.SigningKey;
import io.helidon.security.jwt.Jwt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JwtVerifierTest {
  static final SigningKey RSA = TestKeys.rsa("rsa-1");
  static final SigningKey EC = TestKeys.ec("ec-1");
  static final SigningKey PSS = TestKeys.rsa("pss-1", "PS256");
  static final SigningKey ATTACKER = TestKeys.rsa("rsa-1");
  static final String SECRET = "0123456789abcdef0123456789abcdef-shared";

  static JwtSettings settings(Optional<String> secret, Set<SignatureAlgorithm> algs) {
    return new JwtSettings(
        Optional.of(ISSUER),
        Optional.of(AUDIENCE),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        secret,
        algs,
        Duration.ofSeconds(30));
  }

  private static JwtVerifier verifier(SigningKey... keys) {
    return verifier(fixedKeys(keys));
  }

  /**
   * A verifier for {@link TestKeys#ISSUER}/{@link TestKeys#AUDIENCE} with the default algorithms
   * and no verified-token cache (so key removal shows at once).
   */
  static JwtVerifier verifier(KeySource keys) {
    return new JwtVerifier(
        settings(Optional.empty(), JwtSettings.DEFAULT_ASYMMETRIC), keys, Duration.ZERO);
  }

  static KeySource fixedKeys(SigningKey... keys) {
    String jwks = TestKeys.jwks(keys);
    return new RefreshingKeySource(() -> jwks, "test", Duration.ZERO, Duration.ofDays(1));
  }

  private static void assertRefused(JwtVerifier verifier, String token, Reason reason) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(
            InvalidTokenException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void acceptsValidRsaEcAndPssTokensAndExposesTheirClaims() throws Exception {
    JwtVerifier verifier = verifier(RSA, EC, PSS);

    ClientIdentity rsa =
        verifier.verify(TestKeys.token(RSA, "alice", c -> c.addPayloadClaim("plan", "premium")));
    ClientIdentity ec = verifier.verify(TestKeys.token(EC, "bob", c -> {}));
    ClientIdentity pss = verifier.verify(TestKeys.signPss(PSS, TestKeys.payload("carol")));

    assertThat(rsa.subject()).contains("alice");
    assertThat(rsa.claim("plan")).contains("premium");
    assertThat(ec.subject()).contains("bob");
    assertThat(pss.subject()).contains("carol");
  }

  @Test
  void refusesExpiredTokenButToleratesSkewWithinLeeway() throws Exception {
    JwtVerifier verifier = verifier(RSA);
    Instant now = Instant.now();

    assertRefused(
        verifier,
        TestKeys.sign(RSA, TestKeys.claims("a").expirationTime(now.minusSeconds(3600))),
        Reason.EXPIRED);
    assertThat(
            verifier
                .verify(
                    TestKeys.sign(
                        RSA,
                        TestKeys.claims("a")
                            .issueTime(now.minusSeconds(60))
                            .notBefore(now.minusSeconds(60))
                            .expirationTime(now.minusSeconds(5))))
                .subject())
        .contains("a");
  }

  @Test
  void refusesTokenWithoutExpiry() {
    JwtVerifier verifier = verifier(RSA);
    String token =
        TestKeys.sign(RSA, Jwt.builder().issuer(ISSUER).addAudience(AUDIENCE).subject("a"));

    assertRefused(verifier, token, Reason.EXPIRED);
  }

  @Test
  void refusesTokenNotYetValid() {
    String token =
        TestKeys.sign(RSA, TestKeys.claims("a").notBefore(Instant.now().plusSeconds(3600)));

    assertRefused(verifier(RSA), token, Reason.NOT_YET_VALID);
  }

  @Test
  void refusesWrongIssuerAndWrongAudience() {
    JwtVerifier verifier = verifier(RSA);

    assertRefused(
        verifier,
        TestKeys.sign(RSA, TestKeys.claims("a").issuer("https://evil")),
        Reason.WRONG_ISSUER);
    assertRefused(
        verifier,
        TestKeys.sign(RSA, TestKeys.claims("a").audience(java.util.List.of("other-api"))),
        Reason.WRONG_AUDIENCE);
  }

  @Test
  void refusesAlgNoneWithAndWithoutKeyId() {
    JwtVerifier verifier = verifier(RSA);
    String payload = TestKeys.payload("a");

    assertRefused(
        verifier,
        TestKeys.raw("{\"alg\":\"none\"}", payload, new byte[0]),
        Reason.ALGORITHM_NOT_ALLOWED);
    assertRefused(
        verifier,
        TestKeys.raw("{\"alg\":\"none\",\"kid\":\"rsa-1\"}", payload, new byte[0]),
        Reason.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void refusesHs256SignedWithTheRsaPublicKeyWhenNoSecretIsConfigured() {
    String header = "{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}";
    String payload = TestKeys.payload("a");
    byte[] der = RSA.pair().getPublic().getEncoded();

    assertRefused(
        verifier(RSA),
        TestKeys.hmacSigned(header, payload, TestKeys.pem(RSA)),
        Reason.ALGORITHM_NOT_ALLOWED);
    assertRefused(
        verifier(RSA), TestKeys.hmacSigned(header, payload, der), Reason.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void verifiesHs256OnlyAgainstTheConfiguredSecretNeverAgainstJwksKeys() throws Exception {
    Set<SignatureAlgorithm> algs = EnumSet.of(SignatureAlgorithm.RS256, SignatureAlgorithm.HS256);
    JwtVerifier verifier = new JwtVerifier(settings(Optional.of(SECRET), algs), fixedKeys(RSA));
    String header = "{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}";
    String payload = TestKeys.payload("a");

    assertRefused(
        verifier, TestKeys.hmacSigned(header, payload, TestKeys.pem(RSA)), Reason.BAD_SIGNATURE);
    ClientIdentity identity =
        verifier.verify(
            TestKeys.hmacSigned(
                "{\"alg\":\"HS256\"}", payload, SECRET.getBytes(StandardCharsets.UTF_8)));
    assertThat(identity.subject()).contains("a");
  }

  @Test
  void refusesAlgorithmOutsideTheAllowList() {
    JwtVerifier verifier =
        new JwtVerifier(
            settings(Optional.empty(), EnumSet.of(SignatureAlgorithm.ES256)), fixedKeys(RSA, EC));

    assertRefused(verifier, TestKeys.token(RSA, "a", c -> {}), Reason.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void refusesUnknownKeyIdAndKeyOfAnotherType() {
    SigningKey stranger = TestKeys.rsa("rsa-2");
    // an RS256 header naming the EC key: the key's type does not fit the algorithm
    String mislabelled = TestKeys.sign(EC, TestKeys.claims("a").algorithm("ES256").keyId("ec-1"));
    String[] parts = mislabelled.split("\\.");
    String rsaHeaderOnEcKey =
        java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    "{\"alg\":\"RS256\",\"kid\":\"ec-1\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + parts[1]
            + "."
            + parts[2];

    assertRefused(verifier(RSA, EC), TestKeys.token(stranger, "a", c -> {}), Reason.UNKNOWN_KEY);
    assertRefused(verifier(RSA, EC), rsaHeaderOnEcKey, Reason.UNKNOWN_KEY);
  }

  @Test
  void refusesTokensOfRsaKeysShorterThan2048Bits() {
    SigningKey weak = TestKeys.rsa("weak", "RS256", 1024);
    SigningKey weakPss = TestKeys.rsa("weak-pss", "PS256", 2047);
    JwtVerifier verifier = verifier(RSA, weak, weakPss);

    assertRefused(verifier, TestKeys.token(weak, "a", c -> {}), Reason.UNKNOWN_KEY);
    assertRefused(verifier, TestKeys.signPss(weakPss, TestKeys.payload("a")), Reason.UNKNOWN_KEY);
  }

  @Test
  void refusesTokensOfEcKeysOnAnotherCurveThanTheirAlgorithmNames() throws Exception {
    // RFC 7518 3.4: ES256 is ECDSA on P-256, ES384 on P-384, ES512 on P-521
    SigningKey p384AsEs256 = TestKeys.ec("p384-es256", "P-384", "ES256");
    SigningKey p384 = TestKeys.ec("p384", "P-384", "ES384");
    SigningKey p521 = TestKeys.ec("p521", "P-521", "ES512");
    Set<SignatureAlgorithm> es =
        EnumSet.of(SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512);
    JwtVerifier verifier =
        new JwtVerifier(
            settings(Optional.empty(), es), fixedKeys(p384AsEs256, p384, p521), Duration.ZERO);

    assertRefused(verifier, TestKeys.token(p384AsEs256, "a", c -> {}), Reason.UNKNOWN_KEY);
    assertThat(verifier.verify(TestKeys.token(p384, "b", c -> {})).subject()).contains("b");
    assertThat(verifier.verify(TestKeys.token(p521, "c", c -> {})).subject()).contains("c");
  }

  @Test
  void refusesBadSignatures() {
    String forged = TestKeys.token(ATTACKER, "a", c -> {});
    String valid = TestKeys.token(RSA, "a", c -> {});
    String[] parts = valid.split("\\.");
    String otherPayload =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(TestKeys.payload("admin").getBytes(StandardCharsets.UTF_8));

    assertRefused(verifier(RSA), forged, Reason.BAD_SIGNATURE);
    assertRefused(
        verifier(RSA), parts[0] + "." + otherPayload + "." + parts[2], Reason.BAD_SIGNATURE);
  }

  @Test
  void refusesCriticalHeaderExtensions() {
    String token =
        TestKeys.sign(RSA, TestKeys.claims("a").addHeaderClaim("crit", java.util.List.of("exp")));

    assertRefused(verifier(RSA), token, Reason.MALFORMED);
  }

  @Test
  void aCachedTokenAnswersOnlyForItselfAndKeepsItsClaims() throws Exception {
    JwtVerifier cached =
        new JwtVerifier(settings(Optional.empty(), JwtSettings.DEFAULT_ASYMMETRIC), fixedKeys(RSA));
    String token = TestKeys.token(RSA, "alice", c -> c.addPayloadClaim("plan", "gold"));
    String[] parts = token.split("\\.");
    String otherPayload =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(TestKeys.payload("mallory").getBytes(StandardCharsets.UTF_8));

    ClientIdentity first = cached.verify(token);
    ClientIdentity second = cached.verify(token);

    assertThat(second).isEqualTo(first);
    assertThat(second.claim("plan")).contains("gold");
    assertRefused(cached, parts[0] + "." + otherPayload + "." + parts[2], Reason.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @MethodSource("dev.tollgate.gateway.auth.TestKeys#malformedTokens")
  void refusesMalformedSegments(String token) {
    assertThatThrownBy(() -> verifier(RSA).verify(token)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void triesEveryKeyThatSharesTheTokensKeyId() throws Exception {
    // RFC 7517 4.5 allows one kid for keys of different types; a rotation may reuse it as well
    SigningKey current = TestKeys.rsa("shared");
    SigningKey next = TestKeys.rsa("shared");
    SigningKey ec = TestKeys.ec("shared");
    JwtVerifier verifier = verifier(current, next, ec);

    assertThat(verifier.verify(TestKeys.token(current, "a", c -> {})).subject()).contains("a");
    assertThat(verifier.verify(TestKeys.token(next, "b", c -> {})).subject()).contains("b");
    assertThat(verifier.verify(TestKeys.token(ec, "c", c -> {})).subject()).contains("c");
    assertRefused(
        verifier, TestKeys.token(TestKeys.rsa("shared"), "d", c -> {}), Reason.BAD_SIGNATURE);
  }

  @Test
  void triesEveryFittingKeyWhenTheTokenNamesNone() throws Exception {
    SigningKey next = TestKeys.rsa("rsa-2");
    JwtVerifier verifier = verifier(RSA, next, EC);

    assertThat(verifier.verify(TestKeys.signWithoutKeyId(EC, TestKeys.claims("a"))).subject())
        .contains("a");
    assertThat(verifier.verify(TestKeys.signWithoutKeyId(RSA, TestKeys.claims("b"))).subject())
        .contains("b");
    assertThat(verifier.verify(TestKeys.signWithoutKeyId(next, TestKeys.claims("c"))).subject())
        .contains("c");
    assertRefused(
        verifier,
        TestKeys.signWithoutKeyId(TestKeys.rsa("rsa-3"), TestKeys.claims("d")),
        Reason.BAD_SIGNATURE);
  }

  @Test
  void triesTheKeysWithoutKeyIdWhenNoKeyCarriesTheTokensKeyId() throws Exception {
    // an issuer that labels its tokens but publishes its keys without a kid (RFC 7515 4.1.4: a
    // hint)
    SigningKey unlabelled = TestKeys.unlabelled(TestKeys.rsa("issuer-7"));
    SigningKey stranger = TestKeys.rsa("issuer-7");
    JwtVerifier verifier = verifier(unlabelled, EC);

    assertThat(unlabelled.publicJson()).doesNotContain("kid");
    assertThat(verifier.verify(TestKeys.token(unlabelled, "a", c -> {})).subject()).contains("a");
    assertThat(
            verifier.verify(TestKeys.signWithoutKeyId(unlabelled, TestKeys.claims("b"))).subject())
        .contains("b");
    assertRefused(verifier, TestKeys.token(stranger, "c", c -> {}), Reason.BAD_SIGNATURE);
  }

  @Test
  void triesNoKeyWithoutKeyIdWhenOneCarriesTheTokensKeyId() {
    SigningKey unlabelled = TestKeys.unlabelled(TestKeys.rsa("rsa-1"));
    JwtVerifier verifier = verifier(unlabelled, RSA);

    // signed by the unlabelled key but naming the labelled one: only that one is tried
    assertRefused(verifier, TestKeys.token(unlabelled, "a", c -> {}), Reason.BAD_SIGNATURE);
  }

  @Test
  void refusesATokenThatMoreKeysFitThanOneTokenMayCost() {
    SigningKey[] keys = new SigningKey[JwtVerifier.MAX_KEYS_TRIED + 1];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = TestKeys.rsa("rsa-" + i);
    }

    assertRefused(
        verifier(keys),
        TestKeys.signWithoutKeyId(keys[0], TestKeys.claims("a")),
        Reason.UNKNOWN_KEY);
  }
}
