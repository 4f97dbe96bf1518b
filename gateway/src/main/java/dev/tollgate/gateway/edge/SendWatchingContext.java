package dev.tollgate.gateway.edge;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webserver.ConnectionContext;

/**
 * The context Helidon's HTTP/1 and HTTP/2 connections run with: the real one, except that every
 * write to the client goes through a {@link SendWatch}, so that a write the client does not take
 * within the send timeout ends the connection. Each of Helidon's connections takes its writer from
 * the context once and writes everything through it: HTTP/1 every response (the pipeline's, the
 * problems Helidon renders itself) and the 101 of an h2c upgrade; HTTP/2 every frame of every
 * stream, through its {@code Http2ConnectionWriter}. This is the one place all of them pass.
 */
final class SendWatchingContext extends DelegatingConnectionContext {
  private final DataWriter writer;

  SendWatchingContext(ConnectionContext delegate, SendWatch watch, long timeoutNanos) {
    super(delegate);
    this.writer = new WatchedWriter(delegate.dataWriter(), watch, timeoutNanos);
  }

  @Override
  public DataWriter dataWriter() {
    return writer;
  }

  /**
   * Arms the send deadline around each write: two compare-and-sets, a store and a clock read, no
   * timer. A write that returns after the sweeper cut it off fails, so that nothing more is written
   * to a connection being aborted.
   */
  private static final class WatchedWriter implements DataWriter {
    private final DataWriter delegate;
    private final SendWatch watch;
    private final long timeoutNanos;

    WatchedWriter(DataWriter delegate, SendWatch watch, long timeoutNanos) {
      this.delegate = delegate;
      this.watch = watch;
      this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void write(BufferData... buffers) {
      watched(() -> delegate.write(buffers));
    }

    @Override
    public void write(BufferData buffer) {
      watched(() -> delegate.write(buffer));
    }

    @Override
    public void writeNow(BufferData... buffers) {
      watched(() -> delegate.writeNow(buffers));
    }

    @Override
    public void writeNow(BufferData buffer) {
      watched(() -> delegate.writeNow(buffer));
    }

    @Override
    public void flush() {
      watched(delegate::flush);
    }

    @Override
    public void close() {
      delegate.close();
    }

    /**
     * Runs one write under the deadline. A write that failed keeps its own exception; one that
     * returned despite the cut-off fails.
     */
    private void watched(Runnable write) {
      long stamp = watch.started(timeoutNanos);
      boolean written = false;
      try {
        write.run();
        written = true;
      } finally {
        if (!watch.ended(stamp) && written) {
          throw SendWatch.cutOff();
        }
      }
    }
  }
}
