package dev.tollgate.operator.snapshot;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action once per burst of {@link #trigger() triggers} ({@link DebounceWindow}) on its own
 * single thread, so runs never overlap and a trigger during a run schedules one more run after it:
 * level-triggered, nothing is lost.
 */
public final class Debouncer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Debouncer.class);

  private final DebounceWindow window;
  private final Runnable action;
  private final ScheduledExecutorService executor;
  private ScheduledFuture<?> pending;

  public Debouncer(String threadName, Duration quietPeriod, Duration maxDelay, Runnable action) {
    this.window = new DebounceWindow(quietPeriod, maxDelay);
    this.action = action;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name(threadName).daemon().unstarted(r));
  }

  public synchronized void trigger() {
    if (executor.isShutdown()) {
      return;
    }
    long now = System.nanoTime();
    long runAt = window.changed(now);
    if (pending != null) {
      pending.cancel(false);
    }
    pending = executor.schedule(this::run, runAt - now, TimeUnit.NANOSECONDS);
  }

  private void run() {
    synchronized (this) {
      window.closed();
    }
    try {
      action.run();
    } catch (RuntimeException e) {
      LOG.error("debounced action failed", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
