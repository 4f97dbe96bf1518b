package dev.tollgate.limiter.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * How the limiter's own sockets are secured: as the URL says, the way Lettuce secures its
 * connections for the same URL. {@code redis://} is plain; {@code rediss://} is TLS with the server
 * certificate checked against the JVM's trust store ({@code javax.net.ssl.trustStore}, read when
 * the engine is built), and its host name or IP address checked too unless the URL asks for {@code
 * verifyPeer=CA}. No client certificate is offered, as with Lettuce's default TLS options.
 */
final class SocketSecurity {
  private static final SocketSecurity PLAIN = new SocketSecurity(null, false);

  private final SSLSocketFactory tls;
  private final boolean verifyHost;

  private SocketSecurity(SSLSocketFactory tls, boolean verifyHost) {
    this.tls = tls;
    this.verifyHost = verifyHost;
  }

  /**
   * Whether the own sockets can secure a connection to {@code uri} as Lettuce would: not when it
   * asks for no verification at all ({@code verifyPeer=NONE}, left to Lettuce rather than hand
   * writing a trust manager that trusts everyone) or for STARTTLS.
   */
  static boolean supports(RedisURI uri) {
    return !uri.isSsl() || (uri.getVerifyMode() != SslVerifyMode.NONE && !uri.isStartTls());
  }

  static SocketSecurity of(RedisURI uri) {
    if (!uri.isSsl()) {
      return PLAIN;
    }
    try {
      // a context of its own, not SSLContext.getDefault(): that one is built once per JVM and
      // would also offer a key store given for other purposes
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, null, null);
      return new SocketSecurity(
          context.getSocketFactory(), uri.getVerifyMode() == SslVerifyMode.FULL);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available in this JVM", e);
    }
  }

  /**
   * {@code connected} as is, or with TLS layered over it and the handshake done within {@code
   * timeout} (closing {@code connected} when it fails).
   */
  Socket secure(Socket connected, RedisURI uri, Duration timeout) throws IOException {
    if (tls == null) {
      return connected;
    }
    SSLSocket socket = (SSLSocket) tls.createSocket(connected, uri.getHost(), uri.getPort(), true);
    try {
      if (verifyHost) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
      }
      socket.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
      socket.startHandshake();
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }
}
