package dev.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed certificate and its key made by the {@code openssl} command (EC P-256, PKCS#8, as
 * openssl 3 and cert-manager's ECDSA issuers write them), as a {@code kubernetes.io/tls} Secret
 * holds them.
 *
 * @param certificate {@code tls.crt}
 * @param key {@code tls.key}
 */
public record PemPair(String certificate, String key) {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** A new pair for {@code host}, its files under {@code dir}. */
  public static PemPair create(Path dir, String host) {
    try {
      Path work = Files.createTempDirectory(dir, host);
      Path key = work.resolve("tls.key");
      Path certificate = work.resolve("tls.crt");
      ExternalCommand.run(
              TIMEOUT,
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
                  "/CN=" + host,
                  "-addext",
                  "subjectAltName=DNS:" + host))
          .orThrow();
      return new PemPair(
          Files.readString(certificate, StandardCharsets.US_ASCII),
          Files.readString(key, StandardCharsets.US_ASCII));
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
