package dev.tollgate.gateway.auth;

import dev.tollgate.gateway.auth.SignatureAlgorithm.KeyType;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkEC;
import io.helidon.security.jwt.jwk.JwkRSA;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable set of signature verification keys parsed from a JWKS document (RFC 7517). Keys a
 * verifier cannot use are dropped one by one instead of failing the document: encryption keys
 * ({@code use: enc}), symmetric keys (a shared secret published at a URL is no secret; HS* tokens
 * verify only against {@code TOLLGATE_JWT_HMAC_SECRET}), key types Helidon cannot parse, RSA keys
 * shorter than {@value #MIN_RSA_BITS} bits and EC keys on another curve than their {@code alg}
 * names.
 */
public record VerificationKeys(List<Jwk> keys) {
  private static final Logger LOG = LoggerFactory.getLogger(VerificationKeys.class);
  private static final VerificationKeys EMPTY = new VerificationKeys(List.of());

  static final int MIN_RSA_BITS = 2048;

  /**
   * The key id given to keys published without one. RFC 7517 4.5 makes {@code kid} optional, but
   * Helidon's {@link Jwk} demands one; an empty id stands for none.
   */
  private static final String UNLABELLED = "";

  public VerificationKeys {
    keys = List.copyOf(keys);
  }

  public static VerificationKeys empty() {
    return EMPTY;
  }

  /**
   * Parses a JWKS document; throws {@link IllegalArgumentException} when it is not a JSON object
   * with a {@code keys} array, or when not one of its keys can verify a signature, so a broken
   * refresh keeps the previous keys. A set that empties out is far more often a broken deployment
   * of the issuer than a wish to refuse every token, and taking it would turn every request into a
   * 401 until the issuer is fixed; an issuer that retires a key publishes its successor instead.
   */
  public static VerificationKeys parse(String jwksJson) {
    JsonObject document;
    try (JsonReader reader = Json.createReader(new StringReader(jwksJson))) {
      document = reader.readObject();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("JWKS is not a JSON object", e);
    }
    JsonValue keysValue = document.get("keys");
    if (keysValue == null || keysValue.getValueType() != JsonValue.ValueType.ARRAY) {
      throw new IllegalArgumentException("JWKS has no \"keys\" array");
    }
    List<Jwk> usable = new ArrayList<>();
    for (JsonValue entry : keysValue.asJsonArray()) {
      if (entry.getValueType() == JsonValue.ValueType.OBJECT) {
        toVerificationKey(entry.asJsonObject()).ifPresent(usable::add);
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("JWKS has no usable signature verification key");
    }
    return new VerificationKeys(usable);
  }

  private static Optional<Jwk> toVerificationKey(JsonObject json) {
    String use = json.getString("use", Jwk.USE_SIGNATURE);
    String keyType = json.getString("kty", "");
    if (!Jwk.USE_SIGNATURE.equals(use) || Jwk.KEY_TYPE_OCT.equals(keyType)) {
      return Optional.empty();
    }
    try {
      Jwk key = Jwk.create(json.containsKey("kid") ? json : withKeyId(json, UNLABELLED));
      requireUsable(key);
      return Optional.of(key);
    } catch (RuntimeException e) {
      LOG.warn(
          "Ignoring JWKS key kid=" + json.getString("kid", "?") + " kty=" + keyType + ": " + e);
      return Optional.empty();
    }
  }

  private static JsonObject withKeyId(JsonObject json, String kid) {
    return Json.createObjectBuilder(json).add("kid", kid).build();
  }

  /**
   * Refuses keys Helidon parses but a verifier should not use. RFC 7518 3.3: RS* and PS* keys
   * "MUST" have 2048 bits or more; a 1024-bit modulus has been within reach of a well-funded
   * attacker for years, so a token it signs proves little. RFC 7518 3.4: each ES* algorithm is
   * defined on one curve; a P-384 key labelled ES256 would verify signatures no conforming ES256
   * verifier accepts.
   */
  private static void requireUsable(Jwk key) {
    if (key instanceof JwkRSA rsa && rsa.publicKey() instanceof RSAPublicKey pub) {
      int bits = pub.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw new IllegalArgumentException(
            "RSA key of " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
      }
    }
    if (key instanceof JwkEC ec && ec.publicKey() instanceof ECPublicKey pub) {
      int bits = pub.getParams().getCurve().getField().getFieldSize();
      Optional<SignatureAlgorithm> alg =
          SignatureAlgorithm.byName(key.algorithm()).filter(a -> a.keyType() == KeyType.EC);
      if (alg.isPresent() && alg.get().curveBits() != bits) {
        throw new IllegalArgumentException(
            "EC key on a " + bits + "-bit curve labelled " + alg.get());
      }
    }
  }

  /**
   * The keys a token signed with {@code alg} may have been signed with: those whose type and
   * algorithm fit {@code alg} and, when the token names a {@code kid}, that carry it. Several keys
   * can qualify: RFC 7517 4.5 lets keys of different types share a {@code kid}, an issuer in the
   * middle of a rotation may publish two keys under one, and a token without a {@code kid} fits
   * every key of its algorithm. When no fitting key carries the token's {@code kid}, the fitting
   * keys that carry none are the candidates: a {@code kid} is only a hint (RFC 7515 4.1.4), and
   * issuers that label their tokens but not their JWKS exist.
   */
  public List<Jwk> candidates(SignatureAlgorithm alg, Optional<String> kid) {
    List<Jwk> fitting = keys.stream().filter(k -> fits(k, alg)).toList();
    if (kid.isEmpty()) {
      return fitting;
    }
    List<Jwk> named = fitting.stream().filter(k -> kid.get().equals(k.keyId())).toList();
    return named.isEmpty()
        ? fitting.stream().filter(k -> UNLABELLED.equals(k.keyId())).toList()
        : named;
  }

  // A JWK without "alg" gets Helidon's default for its type (RSA: RS256, EC: by curve), so a key
  // serving PS256 or RS384 must say so in the JWKS.
  private static boolean fits(Jwk key, SignatureAlgorithm alg) {
    return alg.keyType().jwkName().equals(key.keyType()) && alg.name().equals(key.algorithm());
  }
}
