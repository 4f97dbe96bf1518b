package dev.tollgate.gateway.proxy.http1;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens {@link UpstreamSocket}s to {@code http://} and {@code https://} endpoints. TLS always
 * verifies the certificate and the host name against the given context's trust.
 */
public final class UpstreamConnector {
  /** Enough for a typical head plus the start of a body in one write. */
  private static final int BUFFER_SIZE = 8 * 1024;

  private final int connectTimeoutMillis;
  private final SSLContext tls;
  private final int maxHeadSize;

  /**
   * @param tls trust for {@code https://} endpoints
   * @param maxHeadSize largest accepted response head, in bytes
   */
  public UpstreamConnector(Duration connectTimeout, SSLContext tls, int maxHeadSize) {
    this.connectTimeoutMillis = (int) Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE);
    this.tls = tls;
    this.maxHeadSize = maxHeadSize;
  }

  /** Connects to {@code endpoint} ({@code scheme://host:port}), TLS handshake included. */
  public UpstreamSocket open(URI endpoint) throws IOException {
    Socket tcp = new Socket();
    try {
      // whole messages are flushed at once: Nagle's algorithm would only delay the last segment
      tcp.setTcpNoDelay(true);
      tcp.setKeepAlive(true);
      tcp.connect(new InetSocketAddress(host(endpoint), endpoint.getPort()), connectTimeoutMillis);
      Socket socket = endpoint.getScheme().equals("https") ? handshake(tcp, endpoint) : tcp;
      return new UpstreamSocket(socket, tcp, BUFFER_SIZE, maxHeadSize);
    } catch (IOException | RuntimeException e) {
      tcp.close();
      throw e;
    }
  }

  private SSLSocket handshake(Socket plain, URI endpoint) throws IOException {
    SSLSocket secure =
        (SSLSocket)
            tls.getSocketFactory().createSocket(plain, host(endpoint), endpoint.getPort(), true);
    SSLParameters parameters = secure.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setApplicationProtocols(new String[] {"http/1.1"});
    secure.setSSLParameters(parameters);
    secure.setSoTimeout(connectTimeoutMillis);
    secure.startHandshake();
    return secure;
  }

  /** The host without the brackets a URI puts around an IPv6 address. */
  private static String host(URI endpoint) {
    String host = endpoint.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }
}
