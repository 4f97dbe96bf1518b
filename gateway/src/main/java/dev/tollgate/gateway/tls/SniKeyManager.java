package dev.tollgate.gateway.tls;

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
 * established connections keep the session they negotiated. Client-side methods are not used by a
 * server and answer nothing.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
  private final CertificateStore store;

  SniKeyManager(CertificateStore store) {
    this.store = store;
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
    return store
        .current()
        .select(serverName(handshake), keyType)
        .map(ServerCertificate::alias)
        .orElse(null);
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
