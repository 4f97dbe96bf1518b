package dev.tollgate.gateway.edge;

import io.helidon.webserver.CloseConnectionException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A request body whose every read must return within the body timeout: before blocking, the
 * connection's deadline is set, and the sweeper of {@link ClientConnections} answers 408 and closes
 * the socket if it passes. The timeout runs only while the client is awaited, never while the
 * gateway writes to a slow upstream.
 */
final class BodyDeadlineStream extends FilterInputStream {
  private final ClientConnection connection;
  private final long timeoutNanos;

  BodyDeadlineStream(InputStream body, ClientConnection connection, Duration timeout) {
    super(body);
    this.connection = connection;
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public int read() throws IOException {
    awaiting();
    try {
      return super.read();
    } finally {
      arrived();
    }
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    awaiting();
    try {
      return super.read(buffer, offset, length);
    } finally {
      arrived();
    }
  }

  /** Through {@link #read(byte[], int, int)}, so that every read is watched. */
  @Override
  public long transferTo(java.io.OutputStream out) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    int n;
    while ((n = read(buffer, 0, buffer.length)) >= 0) {
      out.write(buffer, 0, n);
      total += n;
    }
    return total;
  }

  private void awaiting() {
    if (!connection.awaitingBody(System.nanoTime() + timeoutNanos)) {
      throw new CloseConnectionException("request body timeout");
    }
  }

  private void arrived() {
    if (!connection.bodyArrived()) {
      // answered 408 by the sweeper; whatever the read returned must not be used
      throw new CloseConnectionException("request body timeout");
    }
  }
}
