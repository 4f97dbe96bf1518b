package dev.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate and its key as two PEM files, written by the {@code openssl req -x509} command: EC
 * P-256 keys in PKCS#8 (as openssl 3 and cert-manager's ECDSA issuers write them), certificates
 * valid for two days (no test runs that long, and none needs a certificate that outlives it).
 *
 * @param certificate where the PEM certificate goes
 * @param key where the PEM key goes
 */
public record OpensslCertificate(Path certificate, Path key) {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * The files of a mounted {@code kubernetes.io/tls} Secret: {@code tls.crt} and {@code tls.key}.
   */
  public static OpensslCertificate tlsFilesIn(Path dir) {
    return new OpensslCertificate(dir.resolve("tls.crt"), dir.resolve("tls.key"));
  }

  /**
   * Writes a new key and a self-signed certificate for {@code subject} (e.g. {@code /CN=a.test}),
   * with {@code extensions} as {@code -addext} values (e.g. {@code subjectAltName=DNS:a.test}).
   *
   * @return this
   */
  public OpensslCertificate selfSigned(String subject, String... extensions) {
    return write(List.of(), subject, extensions);
  }

  /** Like {@link #selfSigned}, but the certificate is signed by {@code issuer}'s key. */
  public OpensslCertificate signedBy(
      OpensslCertificate issuer, String subject, String... extensions) {
    return write(
        List.of("-CA", issuer.certificate.toString(), "-CAkey", issuer.key.toString()),
        subject,
        extensions);
  }

  private OpensslCertificate write(List<String> signer, String subject, String... extensions) {
    try {
      Files.createDirectories(certificate.toAbsolutePath().getParent());
      Files.createDirectories(key.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                certificate.toString(),
                "-days",
                "2",
                "-subj",
                subject));
    command.addAll(signer);
    for (String extension : extensions) {
      command.addAll(List.of("-addext", extension));
    }
    ExternalCommand.run(TIMEOUT, command).orThrow();
    return this;
  }
}
