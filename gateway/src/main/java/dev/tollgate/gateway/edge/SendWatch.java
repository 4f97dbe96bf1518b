package dev.tollgate.gateway.edge;

import io.helidon.common.socket.HelidonSocket;
import io.helidon.webserver.CloseConnectionException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The write to one client connection in progress, if any, and the time by which it must return. A
 * socket write has no timeout: once a client that stopped reading has filled the socket buffers,
 * the write blocks its thread for good. So each write is armed with a deadline ({@link #started},
 * {@link #ended}: a compare-and-set each, no timer), and the sweeper of {@link ClientConnections}
 * aborts the connection once one has passed ({@link #expire}).
 *
 * <p>One write at a time is watched, on whichever thread makes it: HTTP/1 writes on the
 * connection's thread; HTTP/2 on the thread of the stream (or of the connection) whose frame it is,
 * one at a time, for Helidon's {@code Http2ConnectionWriter} holds a lock around each frame's
 * write.
 *
 * <p>Aborting never writes and never waits: a plain socket is closed, which ends the blocked write
 * at once. A TLS socket is not, for closing an {@code SSLSocket} waits for the write in progress
 * (to send its {@code close_notify}) and would block the sweeper: the writing (virtual) thread is
 * interrupted instead, which ends its write, and it closes the connection itself.
 */
final class SendWatch {
  /** No write in progress. */
  private static final long IDLE = 0;

  /** Cut off by the sweeper; even, so never a deadline (deadlines are made odd). */
  private static final long ABORTED = Long.MIN_VALUE;

  /**
   * A write is being armed: its thread is claimed, its deadline not yet set. Even, so never a
   * deadline; the sweeper leaves it alone like {@link #IDLE}.
   */
  private static final long ARMING = Long.MIN_VALUE + 2;

  private static final VarHandle DEADLINE;

  static {
    try {
      DEADLINE = MethodHandles.lookup().findVarHandle(SendWatch.class, "deadlineNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final HelidonSocket socket;

  @SuppressWarnings("unused") // through DEADLINE
  private volatile long deadlineNanos = IDLE;

  /**
   * The thread of the watched write. Only the thread that moved the deadline from {@link #IDLE} to
   * {@link #ARMING} sets it, before it publishes the deadline; the sweeper reads it after claiming
   * that deadline. So a second thread writing at once (whose write is not watched) can never make
   * the sweeper interrupt it instead of the blocked writer.
   */
  private Thread writer;

  SendWatch(HelidonSocket socket) {
    this.socket = socket;
  }

  /**
   * A write of the calling thread begins; it must return within {@code timeoutNanos}. Returns the
   * stamp to hand to {@link #ended}.
   *
   * @throws CloseConnectionException if the connection was aborted: nothing more may be written
   */
  long started(long timeoutNanos) {
    long seen = (long) DEADLINE.compareAndExchange(this, IDLE, ARMING);
    if (seen == IDLE) {
      Thread current = Thread.currentThread();
      if (writer != current) {
        writer = current;
      }
      long stamp = (System.nanoTime() + timeoutNanos) | 1;
      // release: the sweeper, whose volatile read sees this deadline, sees the writer too (a
      // volatile store would add a full fence to every write)
      DEADLINE.setRelease(this, stamp);
      return stamp;
    }
    if (seen == ABORTED) {
      throw cutOff();
    }
    // a write on another thread is watched already; not on HTTP/2, whose frames Helidon's
    // Http2ConnectionWriter writes one at a time under its lock
    return IDLE;
  }

  /** The write armed with {@code stamp} returned; false if the sweeper cut it off meanwhile. */
  boolean ended(long stamp) {
    return stamp == IDLE || DEADLINE.compareAndSet(this, stamp, IDLE);
  }

  /** True once the sweeper has aborted the connection. */
  boolean aborted() {
    return (long) DEADLINE.getVolatile(this) == ABORTED;
  }

  /**
   * Aborts the connection if the write in progress should have returned before {@code now}; true if
   * it did. Never blocks.
   */
  boolean expire(long now) {
    long deadline = (long) DEADLINE.getVolatile(this);
    if ((deadline & 1) == 0 // idle, arming or aborted
        || now - deadline < 0
        || !DEADLINE.compareAndSet(this, deadline, ABORTED)) {
      return false;
    }
    if (socket.isSecure()) {
      writer.interrupt();
    } else {
      socket.close();
    }
    return true;
  }

  static CloseConnectionException cutOff() {
    return new CloseConnectionException("client send timeout");
  }
}
