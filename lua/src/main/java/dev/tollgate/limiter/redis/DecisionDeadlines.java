package dev.tollgate.limiter.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/**
 * Fails decisions still open when their time budget is over, with one sweep every tick instead of a
 * timer per decision. {@code orTimeout} per decision scheduled and cancelled a task on the common
 * pool's delay scheduler for every request: about a tenth of the gateway's CPU per request with one
 * limit (benchmarks.md, "Decision deadlines"). Here a decision costs one queue node.
 *
 * <p>Every decision gets the same budget, so they expire in the order they were added: a sweep
 * stops at the first one still within it. A decision fails at most one tick past its budget; the
 * tick is a tenth of the budget, within 1 to 10 ms. The queue holds the decisions of one budget and
 * tick at most, completed ones included, since each sweep drops those at its head.
 */
final class DecisionDeadlines implements AutoCloseable {
  private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final long budgetNanos;
  private final ConcurrentLinkedQueue<Open> open = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-limiter-deadlines").daemon().factory());

  private record Open(long deadlineNanos, CompletableFuture<?> decision) {}

  DecisionDeadlines(Duration budget) {
    this.budgetNanos = budget.toNanos();
    long tick = Math.clamp(budgetNanos / 10, MIN_TICK_NANOS, MAX_TICK_NANOS);
    sweeper.scheduleAtFixedRate(this::sweep, tick, tick, TimeUnit.NANOSECONDS);
  }

  /** {@code decision}, which fails with a {@link TimeoutException} if it outlives the budget. */
  <T> CompletableFuture<T> bound(CompletableFuture<T> decision) {
    if (!decision.isDone()) {
      open.add(new Open(System.nanoTime() + budgetNanos, decision));
    }
    return decision;
  }

  private void sweep() {
    try {
      long now = System.nanoTime();
      Open head;
      // only this thread removes, so the head peeked is the one polled
      while ((head = open.peek()) != null
          && (head.decision().isDone() || now - head.deadlineNanos() >= 0)) {
        open.poll();
        // Most heads are answered already; only an open one needs an exception (a stack trace).
        if (!head.decision().isDone()) {
          head.decision().completeExceptionally(new TimeoutException("decision budget exceeded"));
        }
      }
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again
      LoggerFactory.getLogger(DecisionDeadlines.class).warn("decision deadline sweep failed", e);
    }
  }

  /** Stops sweeping; decisions still open then end with their Redis command's own timeout. */
  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
