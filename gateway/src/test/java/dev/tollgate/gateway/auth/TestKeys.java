package dev.tollgate.gateway.auth;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkEC;
import io.helidon.security.jwt.jwk.JwkRSA;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Real key pairs generated per test run, the JWKS documents that publish them, and tokens signed
 * with them. Tokens carry {@code alg} and {@code kid} in their header (Helidon's {@code
 * SignedJwt.sign} takes both from the {@link Jwt}, not from the key).
 */
public final class TestKeys {
  public static final String ISSUER = "https://issuer.test";
  public static final String AUDIENCE = "tollgate-test";

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  /** One signing key: its private JWK and its public JWKS entry. */
  public record SigningKey(
      String kid, String alg, KeyPair pair, Jwk privateJwk, String publicJson) {
    public RSAPublicKey rsaPublic() {
      return (RSAPublicKey) pair.getPublic();
    }
  }

  private TestKeys() {}

  public static SigningKey rsa(String kid) {
    return rsa(kid, "RS256");
  }

  /** An RSA key for {@code alg} RS256 or PS256 (PS256 tokens come from {@link #signPss}). */
  public static SigningKey rsa(String kid, String alg) {
    return rsa(kid, alg, 2048);
  }

  /** An RSA key of {@code bits} bits. */
  public static SigningKey rsa(String kid, String alg, int bits) {
    KeyPair pair = generate("RSA", new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
    RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
    Jwk jwk =
        JwkRSA.builder()
            .publicKey(pub)
            .privateKey((RSAPrivateKey) pair.getPrivate())
            .keyId(kid)
            .algorithm(alg)
            .build();
    String json =
        "{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"%s\",\"alg\":\"%s\",\"n\":\"%s\",\"e\":\"%s\"}"
            .formatted(
                kid, alg, unsigned(pub.getModulus(), 0), unsigned(pub.getPublicExponent(), 0));
    return new SigningKey(kid, alg, pair, jwk, json);
  }

  public static SigningKey ec(String kid) {
    return ec(kid, "P-256", "ES256");
  }

  /**
   * An EC key on {@code curve} (P-256, P-384 or P-521) whose JWK says {@code alg}, even when the
   * two do not belong together.
   */
  public static SigningKey ec(String kid, String curve, String alg) {
    String stdName = "secp" + curve.substring("P-".length()) + "r1";
    KeyPair pair = generate("EC", new ECGenParameterSpec(stdName));
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    int length = (pub.getParams().getCurve().getField().getFieldSize() + 7) / 8;
    Jwk jwk =
        JwkEC.builder()
            .publicKey(pub)
            .privateKey((ECPrivateKey) pair.getPrivate())
            .keyId(kid)
            .algorithm(alg)
            .build();
    String json =
        "{\"kty\":\"EC\",\"kid\":\"%s\",\"alg\":\"%s\",\"crv\":\"%s\",\"x\":\"%s\",\"y\":\"%s\"}"
            .formatted(
                kid,
                alg,
                curve,
                unsigned(pub.getW().getAffineX(), length),
                unsigned(pub.getW().getAffineY(), length));
    return new SigningKey(kid, alg, pair, jwk, json);
  }

  /** The same key, published in the JWKS without its {@code kid}; its tokens still carry one. */
  public static SigningKey unlabelled(SigningKey key) {
    String publicJson = key.publicJson().replace("\"kid\":\"" + key.kid() + "\",", "");
    return new SigningKey(key.kid(), key.alg(), key.pair(), key.privateJwk(), publicJson);
  }

  public static String jwks(SigningKey... keys) {
    return Arrays.stream(keys)
        .map(SigningKey::publicJson)
        .collect(Collectors.joining(",", "{\"keys\":[", "]}"));
  }

  /** Valid claims for {@link #ISSUER}/{@link #AUDIENCE}, expiring in an hour. */
  public static Jwt.Builder claims(String subject) {
    Instant now = Instant.now();
    return Jwt.builder()
        .issuer(ISSUER)
        .addAudience(AUDIENCE)
        .subject(subject)
        .issueTime(now)
        .notBefore(now.minusSeconds(5))
        .expirationTime(now.plusSeconds(3600));
  }

  public static String sign(SigningKey key, Jwt.Builder claims) {
    return SignedJwt.sign(claims.algorithm(key.alg()).keyId(key.kid()).build(), key.privateJwk())
        .tokenContent();
  }

  /** Signed without a {@code kid} header: the verifier must find the key on its own. */
  public static String signWithoutKeyId(SigningKey key, Jwt.Builder claims) {
    return SignedJwt.sign(claims.algorithm(key.alg()).build(), key.privateJwk()).tokenContent();
  }

  /** A valid token for {@code subject}, with extra claims. */
  public static String token(SigningKey key, String subject, Consumer<Jwt.Builder> extra) {
    Jwt.Builder claims = claims(subject);
    extra.accept(claims);
    return sign(key, claims);
  }

  /** Hand-built token: header and payload JSON, signature bytes as given. */
  public static String raw(String headerJson, String payloadJson, byte[] signature) {
    return b64(headerJson) + "." + b64(payloadJson) + "." + B64.encodeToString(signature);
  }

  public static String payload(String subject) {
    long now = Instant.now().getEpochSecond();
    return "{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"%s\",\"exp\":%d}"
        .formatted(ISSUER, AUDIENCE, subject, now + 3600);
  }

  /** An HMAC-SHA256 signature over header.payload with {@code secret} as key. */
  public static String hmacSigned(String headerJson, String payloadJson, byte[] secret) {
    try {
      String signingInput = b64(headerJson) + "." + b64(payloadJson);
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
      return signingInput
          + "."
          + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An RSASSA-PSS (PS256) token, signed with the JDK since Helidon cannot sign PS256. */
  public static String signPss(SigningKey key, String payloadJson) {
    try {
      String signingInput =
          b64("{\"alg\":\"PS256\",\"kid\":\"" + key.kid() + "\"}") + "." + b64(payloadJson);
      Signature signer = Signature.getInstance("RSASSA-PSS");
      signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      signer.initSign(key.pair().getPrivate());
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The X.509 PEM text of a public key, the bytes an HS/RS confusion attack uses as secret. */
  public static byte[] pem(SigningKey key) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.pair().getPublic().getEncoded());
    return ("-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  public static List<String> malformedTokens() {
    return List.of(
        "abc",
        "a.b",
        "a.b.c.d",
        "!!!.###.$$$",
        b64("not json") + "." + b64("{}") + ".",
        b64("{\"alg\":\"RS256\"}") + "." + b64("[1,2]") + ".AAAA");
  }

  private static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (bytes.length < length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      bytes = padded;
    }
    return B64.encodeToString(bytes);
  }

  private static KeyPair generate(String algorithm, AlgorithmParameterSpec spec) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      generator.initialize(spec);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
