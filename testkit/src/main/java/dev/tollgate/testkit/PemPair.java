package dev.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A self-signed certificate and its key made by {@link OpensslCertificate}, as the text a {@code
 * kubernetes.io/tls} Secret holds.
 *
 * @param certificate {@code tls.crt}
 * @param key {@code tls.key}
 */
public record PemPair(String certificate, String key) {
  /** A new pair for {@code host}, its files under {@code dir}. */
  public static PemPair create(Path dir, String host) {
    try {
      OpensslCertificate files =
          OpensslCertificate.tlsFilesIn(Files.createTempDirectory(dir, host))
              .selfSigned("/CN=" + host, "subjectAltName=DNS:" + host);
      return new PemPair(
          Files.readString(files.certificate(), StandardCharsets.US_ASCII),
          Files.readString(files.key(), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String certificateBase64() {
    return base64(certificate);
  }

  public String keyBase64() {
    return base64(key);
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
