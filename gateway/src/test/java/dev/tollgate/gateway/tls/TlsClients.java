package dev.tollgate.gateway.tls;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * JDK TLS clients for the gateway's HTTPS port: trusting a test CA, optionally with a client key.
 */
final class TlsClients {
  private static final char[] PASSWORD = "test".toCharArray();

  private TlsClients() {}

  /** Trusts only the certificates in {@code caFile}. */
  static SSLContext trusting(Path caFile) {
    return context(caFile, null);
  }

  /** Trusts {@code caFile} and presents the client certificate in {@code clientDir}. */
  static SSLContext withClientCertificate(Path caFile, Path clientDir) {
    return context(caFile, clientDir);
  }

  private static SSLContext context(Path caFile, Path clientDir) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      List<X509Certificate> cas = CaBundle.read("test CA", caFile);
      for (int i = 0; i < cas.size(); i++) {
        trust.setCertificateEntry("ca" + i, cas.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (clientDir != null) {
        Keys keys =
            Keys.builder()
                .pem(
                    pem ->
                        pem.key(Resource.create(clientDir.resolve("tls.key")))
                            .certChain(Resource.create(clientDir.resolve("tls.crt"))))
                .build();
        KeyStore identity = KeyStore.getInstance("PKCS12");
        identity.load(null, null);
        identity.setKeyEntry(
            "client",
            keys.privateKey().orElseThrow(),
            PASSWORD,
            keys.certChain().toArray(X509Certificate[]::new));
        kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(identity, PASSWORD);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A handshaken socket to {@code 127.0.0.1:port} sending {@code serverName} as SNI (hostname
   * verification is the caller's business: the served certificate is what the tests inspect).
   */
  static SSLSocket connect(SSLContext context, int port, String serverName) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(serverName)));
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  /** The leaf certificate a fresh handshake with {@code serverName} is served. */
  static X509Certificate servedLeaf(SSLContext context, int port, String serverName) {
    try (SSLSocket socket = connect(context, port, serverName)) {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
