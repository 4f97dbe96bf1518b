package dev.tollgate.gateway.edge;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The phase of a request against its client deadline, kept where the request is: on the HTTP/1
 * connection ({@link ClientConnection}), which carries one request at a time, or on the HTTP/2
 * stream ({@link ClientStream}). The request's own thread moves it between phases, the sweeper of
 * {@link ClientConnections} may claim it once the deadline passed; both by compare-and-set, so
 * exactly one of them decides how the request ends.
 */
abstract class BodyWatch {
  /** Between requests, or reading a request line: Helidon's idle timeout applies. */
  static final int IDLE = 0;

  /** Request line read, header fields not yet complete. */
  static final int HEAD = 1;

  /** Blocked reading the request body. */
  static final int BODY = 2;

  /** Handling a request while not waiting for the client. */
  static final int BUSY = 3;

  /** Claimed by the sweeper: the request is cut off with a 408. */
  static final int TIMED_OUT = 4;

  /** The client's connection is gone (HTTP/2 streams only). */
  static final int ABORTED = 5;

  /** The pipeline has answered; Helidon may still be reading what is left of the body. */
  static final int ANSWERED = 6;

  final AtomicInteger phase;
  volatile long deadlineNanos;

  BodyWatch(int initialPhase) {
    this.phase = new AtomicInteger(initialPhase);
  }

  /** About to block reading the body; the read must return before {@code deadline}. */
  final boolean awaitingBody(long deadline) {
    deadlineNanos = deadline;
    return phase.compareAndSet(BUSY, BODY);
  }

  /** A body read returned; false if the deadline passed (or the client left) meanwhile. */
  final boolean bodyArrived() {
    return phase.compareAndSet(BODY, BUSY);
  }

  final boolean timedOut() {
    return phase.get() == TIMED_OUT;
  }

  /** What the read that lost the race with the deadline throws instead of returning. */
  abstract RuntimeException bodyCutOff();
}
