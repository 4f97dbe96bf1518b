package dev.tollgate.rules;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A certificate chain and its private key as read from a PEM pair (the {@code tls.crt} / {@code
 * tls.key} of a {@code kubernetes.io/tls} Secret): the one rule for whether such a pair can be
 * served. The operator judges the certificates of Gateway listeners by it before handing them to
 * the gateways, so it never writes a pair a gateway would refuse.
 *
 * @param chain leaf first, not empty
 * @param key the leaf's private key
 */
public record CertificatePair(List<X509Certificate> chain, PrivateKey key) {
  /** A test signature proves the key belongs to the leaf; algorithm per key type. */
  private static final Map<String, String> PAIR_CHECK =
      Map.of("RSA", "SHA256withRSA", "EC", "SHA256withECDSA", "Ed25519", "Ed25519");

  private static final byte[] PROBE = "tollgate key pair check".getBytes(StandardCharsets.US_ASCII);

  public CertificatePair {
    chain = List.copyOf(chain);
  }

  /** The first certificate of the chain, the one the key belongs to. */
  public X509Certificate leaf() {
    return chain.getFirst();
  }

  /**
   * Parses and checks a PEM pair read from a {@code kubernetes.io/tls} Secret's {@code tls.crt} and
   * {@code tls.key}.
   *
   * @see #parse(String, String, byte[], String, byte[])
   */
  public static CertificatePair parse(String source, byte[] certificatePem, byte[] keyPem) {
    return parse(source, "tls.crt", certificatePem, "tls.key", keyPem);
  }

  /**
   * Parses and checks a PEM pair: the chain must parse and be non-empty, the key (PKCS#8, or PKCS#1
   * for RSA) must parse and belong to the first certificate.
   *
   * @param source names the pair in messages (a directory, a Secret, a bundle pair)
   * @param certificateName the certificate file or key as messages name it
   * @param keyName the key file or key as messages name it
   * @throws IllegalArgumentException naming {@code source} and what is wrong
   */
  public static CertificatePair parse(
      String source, String certificateName, byte[] certificatePem, String keyName, byte[] keyPem) {
    List<X509Certificate> chain;
    Optional<PrivateKey> key;
    try {
      Keys keys =
          Keys.builder()
              .pem(
                  pem ->
                      pem.certChain(Resource.create(source + "/" + certificateName, certificatePem))
                          .key(Resource.create(source + "/" + keyName, keyPem)))
              .build();
      chain = keys.certChain();
      key = keys.privateKey();
    } catch (RuntimeException e) {
      // Whatever the reader throws on bad input is this pair's problem, never its caller's.
      throw new IllegalArgumentException(source + ": unreadable PEM: " + e.getMessage(), e);
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException(source + ": " + certificateName + " holds no certificate");
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException(source + ": " + keyName + " holds no key");
    }
    if (!belongsTo(key.get(), chain.getFirst())) {
      throw new IllegalArgumentException(
          source
              + ": "
              + keyName
              + " does not belong to the first certificate of "
              + certificateName);
    }
    return new CertificatePair(chain, key.get());
  }

  private static boolean belongsTo(PrivateKey key, X509Certificate leaf) {
    String algorithm = PAIR_CHECK.get(key.getAlgorithm());
    if (algorithm == null || !key.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm())) {
      return false;
    }
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
