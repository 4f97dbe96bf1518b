package dev.tollgate.gateway.edge;

import dev.tollgate.gateway.problem.GatewayProblems.BodyTimeout;
import io.helidon.webserver.CloseConnectionException;

/**
 * One HTTP/2 stream while the gateway handles it, on the thread Helidon runs it on. Helidon blocks
 * that thread, without any timeout, until the client sends more of the body, and never wakes it
 * when the connection ends; so the sweeper of {@link ClientConnections} interrupts it when the body
 * deadline passes, and the connection does when it closes while the stream waits for the client.
 * Helidon then returns an empty read, which looks like the end of the body: the phase set before
 * the interrupt tells the reader it is not ({@link #bodyCutOff()}), so a cut-off body is never
 * forwarded as a complete one.
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

  /**
   * The pipeline is done with this stream's request. If the connection ended meanwhile, the
   * thread's own interrupt keeps Helidon from then waiting for the rest of a body that will never
   * come.
   */
  void answered() {
    if (!phase.compareAndSet(BUSY, ANSWERED) && phase.get() == ABORTED) {
      thread.interrupt();
    }
  }

  /**
   * The connection ended: wakes the stream's thread if it waits for the client (for the body, or in
   * Helidon's draining of it after the answer), for nothing more will come. A thread busy in the
   * pipeline (calling the upstream, say) is left to finish: interrupting it would fail an upstream
   * call because of the client, and count against the endpoint's circuit breaker.
   */
  void abort() {
    int previous = phase.getAndUpdate(current -> current == TIMED_OUT ? TIMED_OUT : ABORTED);
    if (previous == BODY || previous == ANSWERED) {
      thread.interrupt();
    }
  }
}
