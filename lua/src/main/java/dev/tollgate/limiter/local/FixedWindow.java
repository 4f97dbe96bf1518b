package dev.tollgate.limiter.local;

import dev.tollgate.limiter.CalendarWindow;
import dev.tollgate.limiter.LimitDefinition;

/**
 * Twin of fixed-window.lua: a count per window, windows aligned to the epoch or, for a calendar
 * window, to local midnight in its zone; a running window keeps its end.
 */
final class FixedWindow implements LocalAlgorithm {
  /** Fields e and n of the Lua hash. */
  record State(long windowEndMicros, long count) implements LimitState {}

  @Override
  public Evaluation evaluate(LimitState stored, LimitDefinition limit, long cost, long now) {
    long period = limit.periodMicrosAt(now);
    long requests = limit.requests();
    long windowEnd =
        limit.window() instanceof CalendarWindow calendar
            ? calendar.around(now).end()
            : now - now % period + period;
    long count = 0;
    if (stored instanceof State state && now < state.windowEndMicros()) {
      windowEnd = state.windowEndMicros();
      count = state.count();
    }
    long reset = windowEnd - now;
    if (count + cost <= requests) {
      return Evaluation.admit(
          requests - count - cost,
          reset,
          new State(windowEnd, count + cost),
          windowEnd,
          requests - count,
          reset);
    }
    return Evaluation.reject(requests - count, reset, cost > requests ? period : reset);
  }
}
