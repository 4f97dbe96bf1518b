package dev.tollgate.operator.snapshot;

import java.time.Duration;

/**
 * When the next snapshot should be compiled, given the changes seen and the writes done:
 *
 * <ul>
 *   <li>debounce: one quiet period (50 ms by default) after the last change, but never later than
 *       the maximum delay after the first change of a burst;
 *   <li>pacing: writes that follow each other closely are spaced by a gap that starts at four quiet
 *       periods and doubles with each further close write, up to the maximum delay; a write after a
 *       calm spell (more than twice the gap since the previous one) resets it to four quiet
 *       periods, so even the first two writes of a burst are that far apart.
 * </ul>
 *
 * <p>Why pacing: {@code kubectl apply} of 500 policies arrives as a stream of events with irregular
 * gaps, some longer than the quiet period, over 15-30 s; debouncing alone writes a version per
 * quiet gap. Pacing bounds the writes to one per maximum delay while a single change after a calm
 * spell still reaches Redis one quiet period after it happened. The maximum delay (250 ms by
 * default) is also the longest a change waits during a burst: a version only carries the entries
 * that changed, so writing every 250 ms is cheap, and three teams editing at once still see each
 * edit served within about half a second of kubectl returning (it was 5 s when every version was
 * the whole configuration).
 *
 * <p>Pure state over a caller-supplied clock (nanoseconds), so its arithmetic is tested without
 * waiting.
 */
final class DebounceWindow {
  private final long quietNanos;
  private final long firstGapNanos;
  private final long maxDelayNanos;
  private long gapNanos;
  private boolean open;
  private boolean written;
  private long openedAt;
  private long lastWriteAt;

  DebounceWindow(Duration quietPeriod, Duration maxDelay) {
    this.quietNanos = quietPeriod.toNanos();
    this.maxDelayNanos = maxDelay.toNanos();
    this.firstGapNanos = Math.min(4 * quietNanos, maxDelayNanos);
  }

  /** Records a change at {@code now}; returns the time at which to compile. */
  long changed(long now) {
    if (!open) {
      open = true;
      openedAt = now;
    }
    long debounced = Math.min(now + quietNanos, openedAt + maxDelayNanos);
    return written ? Math.max(debounced, lastWriteAt + gapNanos) : debounced;
  }

  /**
   * The compilation that started at {@code now} finished: later changes open a new burst. Only a
   * run that wrote a new version counts for pacing; runs that found Redis up to date (start-up,
   * resyncs, status-only events) must not delay the next real change.
   */
  void closed(long now, boolean wrote) {
    open = false;
    if (!wrote) {
      return;
    }
    boolean close = written && now - lastWriteAt < 2 * Math.max(gapNanos, firstGapNanos);
    // After a calm spell the gap starts over at its first size, not at zero: a change that
    // follows a calm spell still runs one quiet period after it (the gap has long passed), and
    // the write after it is paced, so every write of a burst keeps the gap from the one before.
    gapNanos =
        close ? Math.min(Math.max(2 * gapNanos, firstGapNanos), maxDelayNanos) : firstGapNanos;
    written = true;
    lastWriteAt = now;
  }
}
