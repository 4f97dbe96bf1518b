package dev.tollgate.gateway.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An initialised {@link SSLContext} whose server sockets hand every accepted connection to {@link
 * HandshakeGuard}. Helidon accepts through {@code sslContext.getServerSocketFactory()}, and the
 * accepted socket is the only place a connection can be seen before its handshake; everything else
 * is the wrapped context's.
 */
final class DeadlineSslContext extends SSLContextSpi {
  private final SSLContext delegate;
  private final HandshakeGuard deadlines;

  private DeadlineSslContext(SSLContext delegate, HandshakeGuard deadlines) {
    this.delegate = delegate;
    this.deadlines = deadlines;
  }

  static SSLContext wrap(SSLContext delegate, HandshakeGuard deadlines) {
    return new SSLContext(
        new DeadlineSslContext(delegate, deadlines),
        delegate.getProvider(),
        delegate.getProtocol()) {};
  }

  @Override
  protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
      throws KeyManagementException {
    throw new KeyManagementException("already initialised");
  }

  @Override
  protected SSLSocketFactory engineGetSocketFactory() {
    return delegate.getSocketFactory();
  }

  @Override
  protected SSLServerSocketFactory engineGetServerSocketFactory() {
    SSLServerSocketFactory factory = delegate.getServerSocketFactory();
    return new SSLServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return new DeadlineServerSocket((SSLServerSocket) factory.createServerSocket(), deadlines);
      }

      @Override
      public ServerSocket createServerSocket(int port) throws IOException {
        return new DeadlineServerSocket(
            (SSLServerSocket) factory.createServerSocket(port), deadlines);
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return new DeadlineServerSocket(
            (SSLServerSocket) factory.createServerSocket(port, backlog), deadlines);
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
          throws IOException {
        return new DeadlineServerSocket(
            (SSLServerSocket) factory.createServerSocket(port, backlog, address), deadlines);
      }

      @Override
      public String[] getDefaultCipherSuites() {
        return factory.getDefaultCipherSuites();
      }

      @Override
      public String[] getSupportedCipherSuites() {
        return factory.getSupportedCipherSuites();
      }
    };
  }

  @Override
  protected SSLEngine engineCreateSSLEngine() {
    return delegate.createSSLEngine();
  }

  @Override
  protected SSLEngine engineCreateSSLEngine(String host, int port) {
    return delegate.createSSLEngine(host, port);
  }

  @Override
  protected SSLSessionContext engineGetServerSessionContext() {
    return delegate.getServerSessionContext();
  }

  @Override
  protected SSLSessionContext engineGetClientSessionContext() {
    return delegate.getClientSessionContext();
  }

  @Override
  protected SSLParameters engineGetDefaultSSLParameters() {
    return delegate.getDefaultSSLParameters();
  }

  @Override
  protected SSLParameters engineGetSupportedSSLParameters() {
    return delegate.getSupportedSSLParameters();
  }
}
