package dev.tollgate.gateway.edge;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.time.Duration;
import java.util.Set;

/**
 * Helidon's HTTP/1 connection selector with every connection wrapped, so that {@link
 * ClientConnections} sees each connection open and close, counts it against the cap, and can tell
 * the pipeline which connection a request arrived on.
 */
final class CappedConnectionSelector implements ServerConnectionSelector {
  private final ServerConnectionSelector http1;
  private final ClientConnections connections;

  CappedConnectionSelector(Http1Config config, ClientConnections connections) {
    this.http1 = Http1ConnectionSelector.builder().config(config).build();
    this.connections = connections;
  }

  @Override
  public int bytesToIdentifyConnection() {
    return http1.bytesToIdentifyConnection();
  }

  @Override
  public Support supports(BufferData data) {
    return http1.supports(data);
  }

  @Override
  public Set<String> supportedApplicationProtocols() {
    return http1.supportedApplicationProtocols();
  }

  @Override
  public ServerConnection connection(ConnectionContext ctx) {
    return new CappedConnection(http1.connection(ctx), ctx, connections);
  }

  /**
   * Runs Helidon's connection; one over the cap runs with a limit that refuses every request, which
   * Helidon answers 503 (rendered as problem {@code overloaded}) and then closes the connection.
   * Reading that first request head first (instead of refusing at once) lets the client read the
   * answer rather than a reset.
   */
  private static final class CappedConnection implements ServerConnection, InterruptableTask<Void> {
    private final ServerConnection delegate;
    private final ConnectionContext context;
    private final ClientConnections connections;

    CappedConnection(
        ServerConnection delegate, ConnectionContext context, ClientConnections connections) {
      this.delegate = delegate;
      this.context = context;
      this.connections = connections;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
      ClientConnection connection = connections.opened(context);
      try {
        delegate.handle(connection.admitted() ? limit : RefusingLimit.INSTANCE);
      } finally {
        connections.closed(connection);
      }
    }

    @Override
    public Duration idleTime() {
      return delegate.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
      delegate.close(interrupt);
    }

    @Override
    public boolean canInterrupt() {
      return delegate instanceof InterruptableTask<?> task && task.canInterrupt();
    }
  }
}
