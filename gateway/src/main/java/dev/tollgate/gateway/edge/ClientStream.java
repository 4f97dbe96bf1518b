package dev.tollgate.gateway.edge;

import dev.tollgate.gateway.problem.GatewayProblems.BodyTimeout;
import io.helidon.webserver.CloseConnectionException;

/**
 * One HTTP/2 stream while the gateway handles it, on the thread Helidon runs it on. Helidon blocks
 * that thread, without any timeout, until the client sends more of the body, and never wakes it
 * when the connection ends; so the sweeper of {@link ClientConnections} interrupts it when the body
 * deadline passes, and the connection does when it closes. Helidon then returns an empty read,
 * which looks like the end of the body: the phase set before the interrupt tells the reader it is
 * not ({@link #bodyCutOff()}), so a cut-off body is never forwarded as a complete one.
 */
final class ClientStream extends BodyWatch {
  private final Thread thread;

  ClientStream(Thread thread) {
    super(BUSY);
    this.thread = thread;
  }

  /** 408 on the stream when the deadline passed; nothing to answer when the connection is gone. */
  @Override
  RuntimeException bodyCutOff() {
    return phase.get() == TIMED_OUT
        ? new BodyTimeout()
        : new CloseConnectionException("client connection closed");
  }

  /** Cuts the body off if its deadline passed at {@code now}; true if it did. */
  boolean expire(long now) {
    if (phase.get() != BODY || now - deadlineNanos < 0 || !phase.compareAndSet(BODY, TIMED_OUT)) {
      return false;
    }
    thread.interrupt();
    return true;
  }

  /** The connection ended: wakes the stream's thread wherever it waits, for nothing will come. */
  void abort() {
    phase.updateAndGet(current -> current == TIMED_OUT ? TIMED_OUT : ABORTED);
    thread.interrupt();
  }
}
