package dev.tollgate.gateway.edge;

import io.helidon.webserver.ConnectionContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection on the public port and the deadline it is running against, if any. The
 * connection's own thread moves it between phases; the sweeper of {@link ClientConnections} may
 * claim it once a deadline passed. Both sides change the phase by compare-and-set, so exactly one
 * of them answers the request: either the sweeper writes the 408, or the connection thread goes on
 * (and then the sweeper leaves it alone).
 */
final class ClientConnection {
  /** Between requests, or reading a request line: Helidon's idle timeout applies. */
  private static final int IDLE = 0;

  /** Request line read, header fields not yet complete. */
  private static final int HEAD = 1;

  /** Blocked reading the request body. */
  private static final int BODY = 2;

  /** Handling a request while not waiting for the client. */
  private static final int BUSY = 3;

  /** Claimed by the sweeper: the 408 is (being) written and the socket closed. */
  private static final int TIMED_OUT = 4;

  private final ConnectionContext context;
  private final boolean admitted;
  private final AtomicInteger phase = new AtomicInteger(IDLE);
  private volatile long deadlineNanos;

  ClientConnection(ConnectionContext context, boolean admitted) {
    this.context = context;
    this.admitted = admitted;
  }

  ConnectionContext context() {
    return context;
  }

  /** False for a connection over the cap, which is answered 503 after its first request head. */
  boolean admitted() {
    return admitted;
  }

  /** The request line arrived; the header fields must follow before {@code deadlineNanos}. */
  void headStarted(long deadline) {
    deadlineNanos = deadline;
    phase.compareAndSet(IDLE, HEAD);
    phase.compareAndSet(BUSY, HEAD);
  }

  /** The header block is complete; false if the sweeper already timed the request out. */
  boolean headFinished() {
    return phase.compareAndSet(HEAD, BUSY);
  }

  /** About to block reading the body; the read must return before {@code deadline}. */
  boolean awaitingBody(long deadline) {
    deadlineNanos = deadline;
    return phase.compareAndSet(BUSY, BODY);
  }

  /** A body read returned; false if the sweeper timed the request out meanwhile. */
  boolean bodyArrived() {
    return phase.compareAndSet(BODY, BUSY);
  }

  boolean timedOut() {
    return phase.get() == TIMED_OUT;
  }

  /**
   * The phase whose deadline passed at {@code now}, claimed for the sweeper, or null when there is
   * nothing to do.
   */
  TimeoutPhase expire(long now) {
    int current = phase.get();
    if ((current != HEAD && current != BODY) || now - deadlineNanos < 0) {
      return null;
    }
    if (!phase.compareAndSet(current, TIMED_OUT)) {
      return null;
    }
    return current == HEAD ? TimeoutPhase.HEADER : TimeoutPhase.BODY;
  }
}
