package dev.tollgate.gateway.auth;

import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Optional;

/**
 * The JWS algorithms the gateway can verify, each bound to the one key type it may be verified
 * with. Binding the key type is what refuses HS/RS confusion: an {@code HS256} token is only ever
 * checked against the configured shared secret, never against an RSA public key from the JWKS.
 * {@code none} is not a member, so it can never be allowed. EdDSA is absent because Helidon's JWK
 * model (4.3) has no OKP key type.
 */
public enum SignatureAlgorithm {
  RS256(KeyType.RSA, null),
  RS384(KeyType.RSA, null),
  RS512(KeyType.RSA, null),
  PS256(KeyType.RSA, "SHA-256"),
  PS384(KeyType.RSA, "SHA-384"),
  PS512(KeyType.RSA, "SHA-512"),
  ES256(KeyType.EC, null),
  ES384(KeyType.EC, null),
  ES512(KeyType.EC, null),
  HS256(KeyType.OCT, null),
  HS384(KeyType.OCT, null),
  HS512(KeyType.OCT, null);

  /** JWK {@code kty} values. */
  public enum KeyType {
    RSA("RSA"),
    EC("EC"),
    OCT("oct");

    private final String jwkName;

    KeyType(String jwkName) {
      this.jwkName = jwkName;
    }

    public String jwkName() {
      return jwkName;
    }
  }

  private final KeyType keyType;
  // Helidon's JWK classes verify RS*, ES* and HS* themselves; RSASSA-PSS they do not know, so the
  // PS* members carry the digest that the JDK's "RSASSA-PSS" signature needs (RFC 7518 3.5).
  private final String pssDigest;

  SignatureAlgorithm(KeyType keyType, String pssDigest) {
    this.keyType = keyType;
    this.pssDigest = pssDigest;
  }

  public KeyType keyType() {
    return keyType;
  }

  public boolean isSymmetric() {
    return keyType == KeyType.OCT;
  }

  boolean isPss() {
    return pssDigest != null;
  }

  /**
   * The shortest secret an HS* algorithm may use: its hash output (RFC 7518 3.2), so 32 bytes for
   * HS256, 48 for HS384 and 64 for HS512.
   */
  int minimumHmacKeyBytes() {
    if (!isSymmetric()) {
      throw new IllegalStateException(this + " takes no HMAC secret");
    }
    return Integer.parseInt(name().substring("HS".length())) / 8;
  }

  /**
   * The field size of the one curve an ES* algorithm is defined on (RFC 7518 3.4): 256 bits for
   * ES256 (P-256), 384 for ES384 (P-384), 521 for ES512 (P-521).
   */
  int curveBits() {
    return switch (this) {
      case ES256 -> 256;
      case ES384 -> 384;
      case ES512 -> 521;
      default -> throw new IllegalStateException(this + " is not an ECDSA algorithm");
    };
  }

  /** Case-sensitive, as JWS {@code alg} values are. */
  public static Optional<SignatureAlgorithm> byName(String alg) {
    return Arrays.stream(values()).filter(a -> a.name().equals(alg)).findFirst();
  }

  /** Verifies an RSASSA-PSS signature (salt length = digest length, MGF1 with the same digest). */
  boolean verifyPss(PublicKey key, byte[] signedBytes, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance("RSASSA-PSS");
      int saltLength = Integer.parseInt(pssDigest.substring("SHA-".length())) / 8;
      verifier.setParameter(
          new PSSParameterSpec(pssDigest, "MGF1", new MGF1ParameterSpec(pssDigest), saltLength, 1));
      verifier.initVerify(key);
      verifier.update(signedBytes);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
