package dev.tollgate.gateway.tls;

import dev.tollgate.rules.CertificatePair;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * One certificate chain and its private key, read from a PEM pair (the {@code tls.crt} / {@code
 * tls.key} of a {@code kubernetes.io/tls} Secret, or a pair of a certificate bundle), with the host
 * names it serves.
 *
 * @param source where it was read from (the directory, or the bundle pair), for logs and metrics
 * @param alias unique per chain (its leaf's SHA-256 fingerprint), what the key manager hands JSSE
 * @param chain leaf first
 * @param key the leaf's private key
 * @param names DNS names of the leaf's subject alternative names, lower case ({@code *.example.com}
 *     for a wildcard); the subject's CN when there are none
 */
public record ServerCertificate(
    String source, String alias, List<X509Certificate> chain, PrivateKey key, List<String> names) {

  private static final int DNS_NAME = 2;

  public ServerCertificate {
    chain = List.copyOf(chain);
    names = List.copyOf(names);
  }

  /** The leaf's key algorithm as JSSE names key types ({@code RSA}, {@code EC}, ...). */
  public String keyType() {
    return key.getAlgorithm();
  }

  /**
   * Parses and checks a PEM pair: the chain must parse and be non-empty, the key (PKCS#8, or PKCS#1
   * for RSA) must parse and belong to the first certificate.
   *
   * @param source names the pair in messages and {@link #source()}
   * @param certificateFile where {@code certificatePem} was read, for messages
   * @param keyFile where {@code keyPem} was read, for messages
   * @throws IllegalArgumentException naming {@code source} and what is wrong
   */
  public static ServerCertificate parse(
      String source, Path certificateFile, byte[] certificatePem, Path keyFile, byte[] keyPem) {
    CertificatePair pair =
        CertificatePair.parse(
            source,
            certificateFile.getFileName().toString(),
            certificatePem,
            keyFile.getFileName().toString(),
            keyPem);
    X509Certificate leaf = pair.leaf();
    return new ServerCertificate(source, fingerprint(leaf), pair.chain(), pair.key(), names(leaf));
  }

  private static List<String> names(X509Certificate leaf) {
    List<String> names = new ArrayList<>();
    try {
      var alternatives = leaf.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> entry : alternatives) {
          if (entry.get(0) instanceof Integer type && type == DNS_NAME) {
            names.add(entry.get(1).toString().toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // an unparseable extension leaves the certificate usable as the default only
    }
    if (names.isEmpty()) {
      commonName(leaf.getSubjectX500Principal()).ifPresent(names::add);
    }
    return names;
  }

  private static Optional<String> commonName(X500Principal subject) {
    for (String part : subject.getName(X500Principal.RFC2253).split(",")) {
      if (part.startsWith("CN=")) {
        return Optional.of(part.substring(3).toLowerCase(Locale.ROOT));
      }
    }
    return Optional.empty();
  }

  private static String fingerprint(X509Certificate leaf) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
