package dev.tollgate.gateway.tls;

import io.helidon.common.tls.TlsClientAuth;

/** Whether the HTTPS listener asks clients for a certificate ({@code TOLLGATE_TLS_CLIENT_AUTH}). */
public enum ClientAuthMode {
  /** No certificate is requested. */
  OFF(TlsClientAuth.NONE),
  /** A certificate is requested; one that does not verify fails the handshake, none is fine. */
  OPTIONAL(TlsClientAuth.OPTIONAL),
  /** Handshakes without a certificate that verifies against the client CA bundle fail. */
  REQUIRED(TlsClientAuth.REQUIRED);

  private final TlsClientAuth helidon;

  ClientAuthMode(TlsClientAuth helidon) {
    this.helidon = helidon;
  }

  TlsClientAuth helidon() {
    return helidon;
  }
}
