package dev.tollgate.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A PEM file of CA certificates: the client CA bundle of mTLS ({@code TOLLGATE_TLS_CLIENT_CA_FILE})
 * and the upstream CA bundle ({@code TOLLGATE_UPSTREAM_CA_FILE}).
 */
public final class CaBundle {
  private CaBundle() {}

  /**
   * @throws IllegalArgumentException naming the setting and file when it cannot be read, holds no
   *     certificate or holds something else
   */
  public static List<X509Certificate> read(String setting, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(CaBundle::x509)
              .toList();
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(setting + ": " + file + " holds no certificate");
      }
      return certificates;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          setting + ": " + file + " is not a PEM CA bundle: " + e, e);
    }
  }

  private static X509Certificate x509(Certificate certificate) {
    return (X509Certificate) certificate;
  }
}
