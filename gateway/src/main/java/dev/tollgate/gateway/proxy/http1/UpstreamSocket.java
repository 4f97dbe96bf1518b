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
  /** A deadline that does not come while it is held: about 146 years. */
  private static final long HELD = Long.MAX_VALUE / 2;

  private final Socket socket;

  /** The TCP connection under {@link #socket}: the same socket for {@code http://}. */
  private final Socket tcp;

  private final WireInput input;
  private final WireOutput output;
  private final byte[] bodyBuffer;
  private final int maxHeadSize;
  private volatile long deadlineNanos;

  /** Guarded by this: an exchange is waiting under {@link ResponseDeadlines}. */
  private boolean waiting;

  private volatile boolean expired;

  /**
   * @param socket what the exchange reads and writes: {@code tcp}, or a TLS socket over it
   */
  UpstreamSocket(Socket socket, Socket tcp, int bufferSize, int maxHeadSize) throws IOException {
    this.socket = socket;
    this.tcp = tcp;
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
   * Whether the connection may carry another exchange: not closed by us, and nothing left unread,
   * also what arrived while it was idle. Bytes after a complete response mean the upstream and the
   * gateway disagree on framing (a body on a 204, say), or the upstream gave up on the idle
   * connection with an answer of its own (a 408): the next request must not read them as its
   * response. nginx and Envoy close such a connection too.
   */
  public boolean isReusable() {
    try {
      return !socket.isClosed() && !input.anythingPending();
    } catch (IOException e) {
      return false; // the socket broke while idle
    }
  }

  /** Moves the deadline of the exchange waiting on this socket. */
  void deadlineNanos(long deadline) {
    this.deadlineNanos = deadline;
  }

  /**
   * Holds the deadline while the exchange waits for something other than the upstream (the client's
   * next piece of body); {@link #deadlineNanos} sets it again.
   */
  void holdDeadline() {
    this.deadlineNanos = System.nanoTime() + HELD;
  }

  synchronized void startWaiting(long deadline) {
    this.deadlineNanos = deadline;
    this.waiting = true;
  }

  synchronized void endWaiting() {
    this.waiting = false;
  }

  /**
   * Closes the socket if its exchange is still waiting and past its deadline. Decided under the
   * same lock as {@link #endWaiting}, so an exchange that just ended (and whose socket may already
   * carry the next one) is never cut off by a sweep that looked at it a moment earlier.
   */
  synchronized void expireIfDue(long nowNanos) {
    if (waiting && nowNanos - deadlineNanos >= 0) {
      waiting = false;
      expired = true;
      abort();
    }
  }

  /**
   * Ends the connection without a word, never waiting: closes the TCP socket, which fails the
   * exchange's blocked read or write at once. Closing a TLS socket instead sends close_notify,
   * which waits for the TLS record lock; an exchange blocked writing to an upstream that stopped
   * reading holds that lock, and the JVM's one deadline sweeper would wait with it, for good.
   */
  private void abort() {
    try {
      tcp.close();
    } catch (IOException e) {
      // closing is all that was asked; nothing more can be done with the socket
    }
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
