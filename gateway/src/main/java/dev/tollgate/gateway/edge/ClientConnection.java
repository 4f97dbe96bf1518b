package dev.tollgate.gateway.edge;

import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection on the public port and the deadline it is running against, if any (on
 * HTTP/2, each stream has its own: {@link #streams()}). The connection's own thread moves it
 * between phases; the sweeper of {@link ClientConnections} may claim it once a deadline passed.
 * Both sides change the phase by compare-and-set, so exactly one of them answers the request:
 * either the sweeper writes the 408, or the connection thread goes on (and then the sweeper leaves
 * it alone).
 */
final class ClientConnection implements BodyWatch {
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

  /** The HTTP/2 streams being handled; always empty on HTTP/1. */
  private final Set<ClientStream> streams = ConcurrentHashMap.newKeySet();

  private final AtomicInteger phase = new AtomicInteger(IDLE);
  private volatile long deadlineNanos;

  ClientConnection(ConnectionContext context, boolean admitted) {
    this.context = context;
    this.admitted = admitted;
  }

  ConnectionContext context() {
    return context;
  }

  Set<ClientStream> streams() {
    return streams;
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

  @Override
  public boolean awaitingBody(long deadline) {
    deadlineNanos = deadline;
    return phase.compareAndSet(BUSY, BODY);
  }

  @Override
  public boolean bodyArrived() {
    return phase.compareAndSet(BODY, BUSY);
  }

  /** The sweeper has answered 408 and closed the socket: nothing more may be written. */
  @Override
  public RuntimeException bodyCutOff() {
    return new CloseConnectionException("request body timeout");
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
