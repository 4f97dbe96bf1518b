package dev.tollgate.gateway.edge;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A request body whose every read must return within the body timeout: before blocking, the
 * deadline is set on the connection (HTTP/1) or stream (HTTP/2), and the sweeper of {@link
 * ClientConnections} cuts the request off if it passes (a 408 and the socket closed on HTTP/1; the
 * read interrupted and a 408 on the stream on HTTP/2). The timeout runs only while the client is
 * awaited, never while the gateway writes to a slow upstream.
 */
final class BodyDeadlineStream extends FilterInputStream {
  private final BodyWatch watch;
  private final long timeoutNanos;

  BodyDeadlineStream(InputStream body, BodyWatch watch, Duration timeout) {
    super(body);
    this.watch = watch;
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
    if (!watch.awaitingBody(System.nanoTime() + timeoutNanos)) {
      throw watch.bodyCutOff();
    }
  }

  private void arrived() {
    if (!watch.bodyArrived()) {
      // cut off by the sweeper; whatever the read returned (an end of body, on HTTP/2) is not it
      throw watch.bodyCutOff();
    }
  }
}
