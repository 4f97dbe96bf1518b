package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.metrics.GatewayMetrics;
import io.helidon.common.tls.Tls;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The Helidon TLS configuration of the HTTPS listener. Helidon's builder takes one key pair, so it
 * is given a whole {@link SSLContext} built around {@link SniKeyManager} instead (several
 * certificates, chosen per handshake, reloaded without touching the listener), whose server sockets
 * put every accepted connection under the handshake deadline.
 */
public final class ServerTls {
  private ServerTls() {}

  /**
   * @throws IllegalArgumentException when the client CA bundle cannot be read or a protocol or
   *     cipher suite is not supported by this JVM
   */
  public static Tls create(
      TlsSettings settings, CertificateStore store, HandshakeGuard guard, GatewayMetrics metrics) {
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      KeyManager keys = new SniKeyManager(store, metrics);
      context.init(new KeyManager[] {keys}, clientTrust(settings), null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM offers no TLS context", e);
    }
    List<String> supported = List.of(context.getSupportedSSLParameters().getCipherSuites());
    settings.cipherSuites().stream()
        .filter(s -> !supported.contains(s))
        .findFirst()
        .ifPresent(
            s -> {
              throw new IllegalArgumentException(
                  "TOLLGATE_TLS_CIPHER_SUITES: " + s + " is not supported by this JVM");
            });
    return Tls.builder()
        .sslContext(guard.watch(context))
        .enabledProtocols(settings.protocols())
        .enabledCipherSuites(settings.cipherSuites())
        .clientAuth(settings.clientAuth().helidon())
        .build();
  }

  private static TrustManager[] clientTrust(TlsSettings settings) throws GeneralSecurityException {
    if (settings.clientAuth() == ClientAuthMode.OFF) {
      return null;
    }
    String setting = "TOLLGATE_TLS_CLIENT_CA_FILE";
    List<X509Certificate> cas = CaBundle.read(setting, settings.clientCaFile().orElseThrow());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, null);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("an empty in-memory key store cannot fail to load", e);
    }
    for (int i = 0; i < cas.size(); i++) {
      store.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }
}
