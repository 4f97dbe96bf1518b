package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Server-side key manager that picks, per handshake, the certificate of the {@link
 * CertificateStore} naming the client's SNI host (see {@link CertificateSet#select}). It reads the
 * store on every handshake, so a reloaded certificate is served from the next handshake on while
 * established connections keep the session they negotiated. With no certificate at all every
 * handshake fails with a {@code handshake_failure} alert and is counted once. Client-side methods
 * are not used by a server and answer nothing.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
  /**
   * Marks a handshake already counted as without certificate: JSSE asks once per key type the
   * client accepts (RSA, EC, ...), the count is per handshake.
   */
  private static final String COUNTED = "dev.tollgate.tls.counted-without-certificate";

  private final CertificateStore store;
  private final GatewayMetrics metrics;

  SniKeyManager(CertificateStore store, GatewayMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    SSLSession handshake = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
    return choose(keyType, handshake);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return choose(keyType, engine == null ? null : engine.getHandshakeSession());
  }

  private String choose(String keyType, SSLSession handshake) {
    CertificateSet served = store.current();
    if (served.certificates().isEmpty()) {
      countWithoutCertificate(handshake);
      return null;
    }
    return served.select(serverName(handshake), keyType).map(ServerCertificate::alias).orElse(null);
  }

  /** No certificate at all (a bundle not written yet): JSSE fails the handshake on null. */
  private void countWithoutCertificate(SSLSession handshake) {
    if (handshake != null) {
      if (handshake.getValue(COUNTED) != null) {
        return;
      }
      handshake.putValue(COUNTED, Boolean.TRUE);
    }
    metrics.handshakeWithoutCertificate();
  }

  private static String serverName(SSLSession handshake) {
    if (handshake instanceof ExtendedSSLSession extended) {
      List<SNIServerName> names = extended.getRequestedServerNames();
      for (SNIServerName name : names) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName();
        }
      }
    }
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return store.withAlias(alias).map(c -> c.chain().toArray(X509Certificate[]::new)).orElse(null);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return store.withAlias(alias).map(ServerCertificate::key).orElse(null);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return store.current().certificates().stream()
        .filter(c -> c.keyType().equals(keyType))
        .map(ServerCertificate::alias)
        .toArray(String[]::new);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
