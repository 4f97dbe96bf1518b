package dev.tollgate.gateway.auth;

import dev.tollgate.gateway.auth.InvalidTokenException.Reason;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.JwtValidator;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkRSA;
import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies a compact JWS token with Helidon's programmatic JWT API and turns it into a {@link
 * ClientIdentity}. Order matters: the header's {@code alg} is checked against the allow-list and
 * the candidate keys' type <em>before</em> any signature check, and the claims only after the
 * signature holds, so no unsigned content is ever trusted.
 */
public final class JwtVerifier {
  private static final JwkKeys NO_KEYS = JwkKeys.builder().build();

  private final JwtSettings settings;
  private final KeySource keySource;
  private final Map<SignatureAlgorithm, Jwk> hmacKeys = new EnumMap<>(SignatureAlgorithm.class);
  private final List<Map.Entry<Reason, JwtValidator>> claimChecks = new ArrayList<>();

  /**
   * The most keys one token is checked against: enough for a rotation's previous, current and next
   * key plus one, few enough that a forged token costs a handful of signature checks at most.
   */
  static final int MAX_KEYS_TRIED = 4;

  // a removed key's tokens are refused at most a minute later
  static final Duration CACHE_MAX_AGE = Duration.ofMinutes(1);
  // about 10,000 tokens of a typical 1 KiB, fewer of larger ones (see VerifiedTokenCache)
  static final long CACHE_MAX_CHARS = 10L * 1024 * 1024;
  private final VerifiedTokenCache cache;

  public JwtVerifier(JwtSettings settings, KeySource keySource) {
    this(settings, keySource, CACHE_MAX_AGE);
  }

  JwtVerifier(JwtSettings settings, KeySource keySource, Duration cacheMaxAge) {
    this.cache = new VerifiedTokenCache(CACHE_MAX_CHARS, cacheMaxAge);
    this.settings = settings;
    this.keySource = keySource;
    settings.hmacSecret().ifPresent(this::createHmacKeys);
    // One validator per check so each failure maps to its own reason. exp is mandatory: a token
    // without one would be valid forever.
    claimChecks.add(
        Map.entry(
            Reason.EXPIRED,
            JwtValidator.builder()
                .addExpirationValidator(b -> b.allowedTimeSkew(settings.leeway()).mandatory(true))
                .build()));
    claimChecks.add(
        Map.entry(
            Reason.NOT_YET_VALID,
            JwtValidator.builder()
                .addNotBeforeValidator(b -> b.allowedTimeSkew(settings.leeway()))
                .build()));
    settings
        .issuer()
        .ifPresent(
            iss ->
                claimChecks.add(
                    Map.entry(
                        Reason.WRONG_ISSUER,
                        JwtValidator.builder().addIssuerValidator(iss, true).build())));
    settings
        .audience()
        .ifPresent(
            aud ->
                claimChecks.add(
                    Map.entry(
                        Reason.WRONG_AUDIENCE,
                        JwtValidator.builder().addAudienceValidator(aud).build())));
  }

  private void createHmacKeys(String secret) {
    String k =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    for (SignatureAlgorithm alg : SignatureAlgorithm.values()) {
      if (alg.isSymmetric()) {
        hmacKeys.put(
            alg,
            Jwk.create(
                Json.createObjectBuilder()
                    .add("kty", Jwk.KEY_TYPE_OCT)
                    .add("kid", "tollgate-hmac-secret")
                    .add("alg", alg.name())
                    .add("k", k)
                    .build()));
      }
    }
  }

  /** Verifies {@code token} (without the {@code Bearer } prefix). */
  public ClientIdentity verify(String token) throws InvalidTokenException {
    Optional<ClientIdentity> known = cache.get(token);
    if (known.isPresent()) {
      return known.get();
    }
    SignedJwt signed;
    Jwt jwt;
    try {
      signed = SignedJwt.parseToken(token);
      jwt = signed.getJwt();
    } catch (RuntimeException e) {
      throw new InvalidTokenException(Reason.MALFORMED);
    }
    // RFC 7515 4.1.11: a "crit" extension the recipient does not understand must be refused,
    // and this verifier understands none.
    if (jwt.headers().critical().isPresent()) {
      throw new InvalidTokenException(Reason.MALFORMED);
    }
    SignatureAlgorithm alg =
        jwt.algorithm()
            .flatMap(SignatureAlgorithm::byName)
            .filter(settings.algorithms()::contains)
            .orElseThrow(() -> new InvalidTokenException(Reason.ALGORITHM_NOT_ALLOWED));
    if (candidateKeys(alg, jwt.keyId()).stream().noneMatch(k -> signatureHolds(signed, alg, k))) {
      throw new InvalidTokenException(Reason.BAD_SIGNATURE);
    }
    for (Map.Entry<Reason, JwtValidator> check : claimChecks) {
      if (!check.getValue().validate(jwt).isValid()) {
        throw new InvalidTokenException(check.getKey());
      }
    }
    ClientIdentity identity = new ClientIdentity(jwt.payloadClaims());
    // exp is mandatory, so every accepted token has one
    jwt.expirationTime().ifPresent(exp -> cache.put(token, identity, exp));
    return identity;
  }

  /**
   * The keys to check the signature against. An unknown {@code kid} (or no fitting key at all) asks
   * the key source for a reload first. More than {@link #MAX_KEYS_TRIED} keys are refused rather
   * than tried, so one forged token costs a bounded number of signature checks.
   */
  private List<Jwk> candidateKeys(SignatureAlgorithm alg, Optional<String> kid)
      throws InvalidTokenException {
    if (alg.isSymmetric()) {
      return Optional.ofNullable(hmacKeys.get(alg))
          .map(List::of)
          .orElseThrow(() -> new InvalidTokenException(Reason.ALGORITHM_NOT_ALLOWED));
    }
    List<Jwk> found = keySource.current().candidates(alg, kid);
    if (found.isEmpty()) {
      found = keySource.refreshForUnknownKey().candidates(alg, kid);
    }
    if (found.isEmpty() || found.size() > MAX_KEYS_TRIED) {
      throw new InvalidTokenException(Reason.UNKNOWN_KEY);
    }
    return found;
  }

  private static boolean signatureHolds(SignedJwt signed, SignatureAlgorithm alg, Jwk key) {
    if (alg.isPss()) {
      return key instanceof JwkRSA rsa
          && alg.verifyPss(rsa.publicKey(), signed.getSignedBytes(), signed.getSignature());
    }
    // Empty key set + default key: Helidon verifies with exactly the key given (and checks
    // once more that the token's alg equals the key's).
    return signed.verifySignature(NO_KEYS, key).isValid();
  }
}
