package dev.tollgate.gateway.edge;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * A connection's context passed on as Helidon made it; a subclass changes the one part it is about
 * (the executor its streams start on, the writer its responses go through).
 */
abstract class DelegatingConnectionContext implements ConnectionContext {
  private final ConnectionContext delegate;

  DelegatingConnectionContext(ConnectionContext delegate) {
    this.delegate = delegate;
  }

  @Override
  public ExecutorService executor() {
    return delegate.executor();
  }

  @Override
  public ListenerContext listenerContext() {
    return delegate.listenerContext();
  }

  @Override
  public DataWriter dataWriter() {
    return delegate.dataWriter();
  }

  @Override
  public DataReader dataReader() {
    return delegate.dataReader();
  }

  @Override
  public Router router() {
    return delegate.router();
  }

  @Override
  public Optional<ProxyProtocolData> proxyProtocolData() {
    return delegate.proxyProtocolData();
  }

  @Override
  public HelidonSocket serverSocket() {
    return delegate.serverSocket();
  }

  @Override
  public PeerInfo remotePeer() {
    return delegate.remotePeer();
  }

  @Override
  public PeerInfo localPeer() {
    return delegate.localPeer();
  }

  @Override
  public boolean isSecure() {
    return delegate.isSecure();
  }

  @Override
  public String socketId() {
    return delegate.socketId();
  }

  @Override
  public String childSocketId() {
    return delegate.childSocketId();
  }
}
