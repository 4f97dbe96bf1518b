package dev.tollgate.operator.snapshot;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
  private final BooleanSupplier action;
  private final ScheduledExecutorService executor;
  private ScheduledFuture<?> pending;
  private boolean running;
  private boolean changedWhileRunning;

  /**
   * @param action runs once per burst; returns whether it wrote something (paces later runs)
   */
  public Debouncer(
      String threadName, Duration quietPeriod, Duration maxDelay, BooleanSupplier action) {
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
    if (running) {
      // Scheduled once the run ends, from the window as the run leaves it: scheduled now, it would
      // be timed from the burst the run is working off and could follow the run at once, two
      // writes closer together than the pacing allows.
      changedWhileRunning = true;
      return;
    }
    schedule();
  }

  private void schedule() {
    long now = System.nanoTime();
    long runAt = window.changed(now);
    if (pending != null) {
      pending.cancel(false);
    }
    pending = executor.schedule(this::run, runAt - now, TimeUnit.NANOSECONDS);
  }

  private void run() {
    synchronized (this) {
      running = true;
    }
    long started = System.nanoTime();
    boolean wrote = false;
    try {
      wrote = action.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.error("debounced action failed", e);
    } finally {
      synchronized (this) {
        running = false;
        window.closed(started, wrote);
        if (changedWhileRunning && !executor.isShutdown()) {
          changedWhileRunning = false;
          schedule();
        }
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
