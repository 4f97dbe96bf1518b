package dev.tollgate.gateway.proxy.http1;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Bounds the wait for a response head without a timer per request: exchanges waiting for their head
 * are kept in a set, and one sweep every {@link #TICK_MILLIS} ms closes the connections of those
 * past their deadline, which ends their blocked write or read. A socket read timeout instead made
 * every request's wait a timed park, and each timed park of a virtual thread signals the JDK's
 * delay scheduler (benchmarks.md). Covers writing the request too: an upstream that stops reading a
 * request body is cut off at the same deadline.
 *
 * <p>One sweeper for the JVM (a daemon thread), whatever the number of connectors: its work per
 * tick is the exchanges waiting at that moment.
 */
final class ResponseDeadlines {
  static final long TICK_MILLIS = 5;

  private static final Set<UpstreamSocket> WAITING = ConcurrentHashMap.newKeySet();
  private static final ScheduledExecutorService SWEEPER =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-upstream-deadlines").daemon().factory());

  static {
    SWEEPER.scheduleWithFixedDelay(
        ResponseDeadlines::sweep, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private ResponseDeadlines() {}

  /** From now until {@link #end}, the socket is closed once {@code deadlineNanos} has passed. */
  static void start(UpstreamSocket socket, long deadlineNanos) {
    socket.startWaiting(deadlineNanos);
    WAITING.add(socket);
  }

  static void end(UpstreamSocket socket) {
    socket.endWaiting();
    WAITING.remove(socket);
  }

  private static void sweep() {
    try {
      long now = System.nanoTime();
      // only start and end change the set (end always follows, also after an expiry)
      for (UpstreamSocket socket : WAITING) {
        socket.expireIfDue(now);
      }
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again
      LoggerFactory.getLogger(ResponseDeadlines.class).warn("upstream deadline sweep failed", e);
    }
  }
}
