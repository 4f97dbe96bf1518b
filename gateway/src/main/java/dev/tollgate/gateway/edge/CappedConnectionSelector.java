package dev.tollgate.gateway.edge;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http2.Http2ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The public listener's only connection selector: it claims every connection at once, so that
 * {@link ClientConnections} sees each connection open and close, counts it against the cap, and can
 * tell the pipeline which connection a request arrived on; the connection itself then picks
 * HTTP/1.1 or HTTP/2 ({@link ClientProtocol}) and runs Helidon's connection for it.
 *
 * <p>Claiming at once matters: with one selector per protocol Helidon would first read bytes to
 * pick one, outside any connection it tracks, so no idle timeout would cover a client that opens a
 * socket and sends nothing.
 */
final class CappedConnectionSelector implements ServerConnectionSelector {
  private final ServerConnectionSelector http1;
  private final ServerConnectionSelector http2;
  private final ClientConnections connections;

  CappedConnectionSelector(
      Http1Config http1Config, Http2Config http2Config, ClientConnections connections) {
    this.http1 =
        Http1ConnectionSelector.builder()
            .config(http1Config)
            .addUpgrader(new TrackedH2cUpgrader(http2Config, connections))
            .build();
    this.http2 = Http2ConnectionSelector.builder().http2Config(http2Config).build();
    this.connections = connections;
  }

  @Override
  public int bytesToIdentifyConnection() {
    return 0;
  }

  @Override
  public Support supports(BufferData data) {
    return Support.SUPPORTED;
  }

  @Override
  public Set<String> supportedApplicationProtocols() {
    Set<String> protocols = new HashSet<>(http2.supportedApplicationProtocols());
    protocols.addAll(http1.supportedApplicationProtocols());
    return protocols;
  }

  @Override
  public ServerConnection connection(ConnectionContext ctx) {
    return new CappedConnection(ctx);
  }

  /**
   * Picks the protocol, then runs Helidon's connection for it; one over the cap runs with a limit
   * that refuses every request, which Helidon answers 503 (rendered as problem {@code overloaded})
   * on HTTP/1 and with a refused stream on HTTP/2, then closes the connection. Reading that first
   * request first (instead of refusing at once) lets the client read the answer rather than a
   * reset.
   */
  private final class CappedConnection implements ServerConnection, InterruptableTask<Void> {
    private final ConnectionContext context;
    private final long openedNanos = System.nanoTime();
    private volatile ServerConnection delegate;

    /** Set for an HTTP/2 connection: its streams being handled. */
    private volatile ClientConnection http2Connection;

    CappedConnection(ConnectionContext context) {
      this.context = context;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
      ClientConnection connection = connections.opened(context);
      try {
        // both protocols write every byte through the context's writer: one send watch for each
        ConnectionContext watched = connections.watchingSends(context, connection);
        if (ClientProtocol.spokenOn(context) == ClientProtocol.HTTP_2) {
          ServerConnection chosen = http2.connection(connections.streamTracking(watched));
          delegate = chosen;
          http2Connection = connection;
          // over the cap, the pipeline answers the first stream 503 and closes the connection
          chosen.handle(limit);
        } else {
          ServerConnection chosen = http1.connection(watched);
          delegate = chosen;
          chosen.handle(connection.admitted() ? limit : RefusingLimit.INSTANCE);
        }
      } finally {
        connections.closed(connection);
      }
    }

    @Override
    public Duration idleTime() {
      ServerConnection current = delegate;
      return current == null
          ? Duration.ofNanos(System.nanoTime() - openedNanos)
          : current.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
      ServerConnection current = delegate;
      if (current == null) {
        // still waiting for the first bytes: closing the socket ends that read
        context.serverSocket().close();
        return;
      }
      current.close(interrupt);
      ClientConnection streams = http2Connection;
      if (!interrupt && streams != null && streams.streams().isEmpty()) {
        // Idle past the keep-alive timeout with no request being handled. Helidon's HTTP/2
        // connection would stay blocked reading if the client left a stream half-open (a header
        // block without its last CONTINUATION, which no request deadline covers): close it.
        context.serverSocket().close();
      }
    }

    @Override
    public boolean canInterrupt() {
      ServerConnection current = delegate;
      return current == null || current instanceof InterruptableTask<?> task && task.canInterrupt();
    }
  }
}
