package dev.tollgate.limiter.local;

import dev.tollgate.limiter.LimitDefinition;

/** Twin of fixed-window.lua: a count per epoch-aligned window; a running window keeps its end. */
final class FixedWindow implements LocalAlgorithm {
  /** Fields e and n of the Lua hash. */
  record State(long windowEndMicros, long count) implements LimitState {}

  @Override
  public Evaluation evaluate(LimitState stored, LimitDefinition limit, long cost, long now) {
    long period = limit.periodMicros();
    long requests = limit.requests();
    long windowEnd = now - now % period + period;
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
