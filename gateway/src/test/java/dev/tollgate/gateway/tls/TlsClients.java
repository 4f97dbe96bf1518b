package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.support.RawUpstream;
import dev.tollgate.gateway.support.TestCertificates;
import io.helidon.common.pki.Keys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
public final class TlsClients {
  private static final char[] PASSWORD = "test".toCharArray();

  private TlsClients() {}

  /** Trusts only the certificates in {@code caFile}. */
  public static SSLContext trusting(Path caFile) {
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
        Keys keys = TestCertificates.keys(clientDir);
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

  /**
   * One {@code GET /orders/1} on the socket with the given {@code Connection} header; returns the
   * response head after reading its Content-Length body, leaving the connection usable.
   */
  static String get(SSLSocket socket, String host, String connection) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /orders/1 HTTP/1.1\r\nHost: " + host + "\r\nConnection: " + connection + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    String head = RawUpstream.readHead(in);
    if (!head.endsWith("\r\n\r\n")) {
      return head;
    }
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return head;
  }
}
