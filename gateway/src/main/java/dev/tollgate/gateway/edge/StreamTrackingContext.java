package dev.tollgate.gateway.edge;

import io.helidon.webserver.ConnectionContext;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The context Helidon's HTTP/2 connection runs with: the real one, except that each stream it
 * starts runs through {@link ClientConnections#runStream}, which ties the stream's thread to its
 * {@link ClientConnection} and a {@link ClientStream} (Helidon's HTTP/2 connection starts every
 * stream on the context's executor, and offers no other hook).
 */
final class StreamTrackingContext extends DelegatingConnectionContext {
  private final ExecutorService streams;

  StreamTrackingContext(
      ConnectionContext delegate, ClientConnections connections, ClientConnection connection) {
    super(delegate);
    this.streams = new StreamExecutor(delegate.executor(), connections, connection);
  }

  @Override
  public ExecutorService executor() {
    return streams;
  }

  /** Runs each task through {@link ClientConnections#runStream}; shutting down is not its job. */
  private static final class StreamExecutor extends AbstractExecutorService {
    private final ExecutorService delegate;
    private final ClientConnections connections;
    private final ClientConnection connection;

    StreamExecutor(
        ExecutorService delegate, ClientConnections connections, ClientConnection connection) {
      this.delegate = delegate;
      this.connections = connections;
      this.connection = connection;
    }

    @Override
    public void execute(Runnable task) {
      delegate.execute(() -> connections.runStream(connection, task));
    }

    @Override
    public void shutdown() {
      throw new UnsupportedOperationException("the listener's executor is shut down by Helidon");
    }

    @Override
    public List<Runnable> shutdownNow() {
      throw new UnsupportedOperationException("the listener's executor is shut down by Helidon");
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }
  }
}
