package dev.tollgate.gateway.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTPS listener's settings ({@code TOLLGATE_TLS_*}, parsed by {@code GatewaySettings}).
 *
 * @param port HTTPS port; 0 = pick a free one
 * @param certificateDirs one directory per certificate holding {@code tls.crt} (chain, leaf first)
 *     and {@code tls.key}; the first is the default, served when no other matches the requested
 *     name
 * @param certificateBundleDir a directory of any number of pairs {@code <id>.crt} + {@code
 *     <id>.key}, changing while the gateway runs (the Secret the operator writes from Gateway API
 *     listeners); its pairs are served after the directories', by id, so the first id is the
 *     default only when there is no certificate directory
 * @param pollInterval how often the certificate files are checked for changes
 * @param protocols enabled TLS versions, each {@code TLSv1.2} or {@code TLSv1.3}
 * @param cipherSuites enabled cipher suites (JSSE names)
 * @param clientAuth whether clients are asked for a certificate
 * @param clientCaFile PEM bundle of CAs a client certificate must chain to; required unless {@code
 *     clientAuth} is off
 * @param handshakeTimeout a connection that has not finished its handshake this long after being
 *     accepted is closed
 * @param redirect the plain listener answers every request with a 308 to HTTPS
 * @param redirectPort port the redirect names (the HTTPS port clients reach, e.g. a Service's 443)
 */
public record TlsSettings(
    int port,
    List<Path> certificateDirs,
    Optional<Path> certificateBundleDir,
    Duration pollInterval,
    List<String> protocols,
    List<String> cipherSuites,
    ClientAuthMode clientAuth,
    Optional<Path> clientCaFile,
    Duration handshakeTimeout,
    boolean redirect,
    int redirectPort) {

  /** TLS 1.0 and 1.1 are deprecated (RFC 8996) and refused. */
  public static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /**
   * TLS 1.3 suites, then TLS 1.2 ECDHE suites with AEAD ciphers only (forward secrecy, no CBC, no
   * RSA key exchange), the same set as Mozilla's "intermediate" profile in JSSE names.
   */
  public static final String DEFAULT_CIPHER_SUITES =
      String.join(
          ",",
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  public TlsSettings {
    certificateDirs = List.copyOf(certificateDirs);
    protocols = List.copyOf(protocols);
    cipherSuites = List.copyOf(cipherSuites);
    if (certificateDirs.isEmpty() && certificateBundleDir.isEmpty()) {
      throw new IllegalArgumentException(
          "TOLLGATE_TLS_CERT_DIRS or TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR must name a directory");
    }
    if (protocols.isEmpty() || !ALLOWED_PROTOCOLS.containsAll(protocols)) {
      throw new IllegalArgumentException(
          "TOLLGATE_TLS_PROTOCOLS must list TLSv1.2 and/or TLSv1.3, was " + protocols);
    }
    if (cipherSuites.isEmpty()) {
      throw new IllegalArgumentException("TOLLGATE_TLS_CIPHER_SUITES names no cipher suite");
    }
    if (clientAuth != ClientAuthMode.OFF && clientCaFile.isEmpty()) {
      throw new IllegalArgumentException(
          "TOLLGATE_TLS_CLIENT_AUTH=" + clientAuth + " needs TOLLGATE_TLS_CLIENT_CA_FILE");
    }
    if (handshakeTimeout.isZero() || handshakeTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "TOLLGATE_TLS_HANDSHAKE_TIMEOUT must be > 0, was " + handshakeTimeout);
    }
    if (pollInterval.isZero() || pollInterval.isNegative()) {
      throw new IllegalArgumentException(
          "TOLLGATE_TLS_POLL_INTERVAL must be > 0, was " + pollInterval);
    }
  }
}
