package dev.tollgate.gateway.proxy.http1;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

/**
 * One connection to an upstream endpoint with its read and write buffers, which live as long as the
 * connection (allocated once, not per request). Carries one exchange at a time.
 */
public final class UpstreamSocket implements Closeable {
  private final Socket socket;
  private final WireInput input;
  private final WireOutput output;
  private final byte[] bodyBuffer;
  private final int maxHeadSize;
  private volatile long deadlineNanos;
  private volatile boolean expired;

  UpstreamSocket(Socket socket, int bufferSize, int maxHeadSize) throws IOException {
    this.socket = socket;
    this.maxHeadSize = maxHeadSize;
    this.input = new WireInput(socket.getInputStream(), Math.max(bufferSize, maxHeadSize));
    this.output = new WireOutput(socket.getOutputStream(), bufferSize);
    this.bodyBuffer = new byte[bufferSize];
  }

  WireInput input() {
    return input;
  }

  WireOutput output() {
    return output;
  }

  /** Scratch space for copying a request body; one exchange uses it at a time. */
  byte[] bodyBuffer() {
    return bodyBuffer;
  }

  int maxHeadSize() {
    return maxHeadSize;
  }

  /**
   * Bounds each wait for the upstream's bytes from now on; zero waits until the socket is closed
   * (the response head's wait is bounded by {@link ResponseDeadlines} instead).
   */
  void readTimeout(Duration timeout) {
    try {
      socket.setSoTimeout((int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the connection may carry another exchange: not closed by us, and nothing left unread
   * (bytes after a complete response mean the upstream and the gateway disagree on framing).
   */
  public boolean isReusable() {
    return !socket.isClosed() && input.buffered() == 0;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }

  void deadlineNanos(long deadline) {
    this.deadlineNanos = deadline;
  }

  /** The exchange on this socket ran out of time: closed, and remembered as the reason. */
  void expire() {
    expired = true;
    close();
  }

  /** Whether the socket was closed because its exchange ran out of time. */
  boolean expired() {
    return expired;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is all that was asked; nothing more can be done with the socket
    }
  }
}
