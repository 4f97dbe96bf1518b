package dev.tollgate.operator.snapshot;

import java.time.Duration;

/**
 * When a burst of changes should be compiled: after a quiet period with no further change, but
 * never later than a maximum delay after the first change of the burst. A GitOps sync of 500
 * objects arrives as ~500 watch events over a second or two; with a 150 ms quiet period and a 1 s
 * cap it becomes a handful of snapshot writes instead of 500, while a single {@code kubectl apply}
 * still reaches Redis within the quiet period.
 *
 * <p>Pure state over a caller-supplied clock (nanoseconds), so its arithmetic is tested without
 * waiting.
 */
final class DebounceWindow {
  private final long quietNanos;
  private final long maxDelayNanos;
  private boolean open;
  private long openedAt;

  DebounceWindow(Duration quietPeriod, Duration maxDelay) {
    this.quietNanos = quietPeriod.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
  }

  /** Records a change at {@code now}; returns the time at which the burst should be compiled. */
  long changed(long now) {
    if (!open) {
      open = true;
      openedAt = now;
    }
    return Math.min(now + quietNanos, openedAt + maxDelayNanos);
  }

  /** The compilation started: changes from now on open a new burst. */
  void closed() {
    open = false;
  }
}
