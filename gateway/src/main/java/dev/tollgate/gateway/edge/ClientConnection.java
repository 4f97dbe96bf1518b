package dev.tollgate.gateway.edge;

import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client connection on the public port and the deadline it is running against, if any (on
 * HTTP/2, each stream has its own: {@link #streams()}). Exactly one side answers a request whose
 * deadline passed: either the sweeper has the 408 written, or the connection thread goes on (and
 * then the sweeper leaves it alone).
 */
final class ClientConnection extends BodyWatch {
  private final ConnectionContext context;
  private final boolean admitted;

  /** The write to the client in progress, bounded by a deadline the sweeper enforces. */
  private final SendWatch send;

  /** The HTTP/2 streams being handled; always empty on HTTP/1. */
  private final Set<ClientStream> streams = ConcurrentHashMap.newKeySet();

  /** Set when the response being written ends the connection: no further request is served. */
  private volatile boolean closing;

  ClientConnection(ConnectionContext context, boolean admitted) {
    super(IDLE);
    this.context = context;
    this.admitted = admitted;
    this.send = new SendWatch(context.serverSocket());
  }

  ConnectionContext context() {
    return context;
  }

  SendWatch send() {
    return send;
  }

  Set<ClientStream> streams() {
    return streams;
  }

  /** The current response announces {@code Connection: close}: it is the connection's last. */
  void closeAfterResponse() {
    closing = true;
  }

  boolean closing() {
    return closing;
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

  /** The sweeper has answered 408 and closed the socket: nothing more may be written. */
  @Override
  RuntimeException bodyCutOff() {
    return new CloseConnectionException("request body timeout");
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
