package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.backend.Endpoint;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.webclient.api.ClientConnection;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upstream connection that switched protocols: raw bytes from here on. It counts as a request in
 * flight on its endpoint (for least-request balancing) until {@link #close()}.
 */
public final class UpgradedUpstream implements AutoCloseable {
  private final ClientConnection connection;
  private final Endpoint endpoint;
  private final AtomicBoolean closed = new AtomicBoolean();

  UpgradedUpstream(ClientConnection connection, Endpoint endpoint) {
    this.connection = connection;
    this.endpoint = endpoint;
  }

  /** What the upstream sends, including bytes that arrived right behind its 101 head. */
  public DataReader reader() {
    return connection.reader();
  }

  public DataWriter writer() {
    return connection.writer();
  }

  /** {@code scheme://host:port} of the endpoint, for logs. */
  public String endpoint() {
    return endpoint.toString();
  }

  /** Closes the socket (ending a blocked read) and ends the endpoint's count; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        connection.closeResource();
      } finally {
        endpoint.finished();
      }
    }
  }
}
