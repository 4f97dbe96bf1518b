package dev.tollgate.limiter.local;

import dev.tollgate.limiter.LimitDefinition;

/**
 * Twin of sliding-window.lua: the previous window's count weighted by its overlap with the sliding
 * period, plus the current window's count; compared in integers scaled by the period.
 */
final class SlidingWindow implements LocalAlgorithm {
  /** Fields w, c and q of the Lua hash. */
  record State(long windowStartMicros, long current, long previous) implements LimitState {}

  @Override
  public Evaluation evaluate(LimitState stored, LimitDefinition limit, long cost, long now) {
    long period = limit.periodMicros();
    long requests = limit.requests();
    State state = rolled(stored, period, now);
    long start = state.windowStartMicros();
    long weighted = state.previous() * (period - (now - start));
    long budget = requests * period;
    if (weighted + (state.current() + cost) * period <= budget) {
      State next = new State(start, state.current() + cost, state.previous());
      long reset = resetMicros(next, period, now);
      return Evaluation.admit(
          Math.floorDiv(budget - weighted - next.current() * period, period),
          reset,
          next,
          now + reset,
          Math.floorDiv(budget - weighted - state.current() * period, period),
          resetMicros(state, period, now));
    }
    long retry = cost <= requests ? retryMicros(state, requests, cost, period, now) : period;
    return Evaluation.reject(
        Math.floorDiv(budget - weighted - state.current() * period, period),
        resetMicros(state, period, now),
        retry);
  }

  private static State rolled(LimitState stored, long period, long now) {
    if (!(stored instanceof State state) || now >= state.windowStartMicros() + 2 * period) {
      return new State(now - now % period, 0, 0);
    }
    if (now >= state.windowStartMicros() + period) {
      return new State(state.windowStartMicros() + period, 0, state.current());
    }
    return state;
  }

  private static long resetMicros(State state, long period, long now) {
    if (state.current() > 0) {
      return state.windowStartMicros() + 2 * period - now;
    }
    return state.previous() > 0 ? state.windowStartMicros() + period - now : 0;
  }

  private static long retryMicros(State state, long requests, long cost, long period, long now) {
    long start = state.windowStartMicros();
    long room = requests - state.current() - cost;
    if (room >= 0) {
      return start + period - Math.floorDiv(room * period, state.previous()) - now;
    }
    long nextElapsed = period - Math.floorDiv((requests - cost) * period, state.current());
    return start + period + Math.max(nextElapsed, 0) - now;
  }
}
