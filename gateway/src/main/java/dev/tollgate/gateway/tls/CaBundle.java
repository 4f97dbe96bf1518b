package dev.tollgate.gateway.tls;

import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A PEM file of CA certificates: the client CA bundle of mTLS ({@code
 * TOLLGATE_TLS_CLIENT_CA_FILE}), the upstream CA bundle ({@code TOLLGATE_UPSTREAM_CA_FILE}) and the
 * JWKS endpoint's ({@code TOLLGATE_JWT_JWKS_CA_FILE}).
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

  /**
   * Client TLS that trusts only the CAs in {@code file}, host names verified.
   *
   * @throws IllegalArgumentException as {@link #read}
   */
  public static Tls trustOnly(String setting, Path file) {
    return Tls.builder()
        .trust(read(setting, file))
        .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_HTTPS)
        .build();
  }

  /**
   * The TLS context of a client connection: trusting only the CAs in {@code file} when it is set,
   * else the JVM's default trust store.
   *
   * @throws IllegalArgumentException as {@link #read}
   */
  public static SSLContext clientContext(String setting, Optional<Path> file) {
    if (file.isPresent()) {
      return trustOnly(setting, file.get()).sslContext();
    }
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM offers no default TLS context", e);
    }
  }

  private static X509Certificate x509(Certificate certificate) {
    return (X509Certificate) certificate;
  }
}
