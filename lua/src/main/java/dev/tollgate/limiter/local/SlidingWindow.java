package dev.tollgate.limiter.local;

import dev.tollgate.limiter.LimitDefinition;

/**
 * Twin of sliding-window.lua: the previous window's count weighted by its overlap with the sliding
 * period (rounded up), plus the current window's count.
 */
final class SlidingWindow implements LocalAlgorithm {
  /** Fields w, c and q of the Lua hash. */
  record State(long windowStartMicros, long current, long previous) implements LimitState {}

  @Override
  public Evaluation evaluate(LimitState stored, LimitDefinition limit, long cost, long now) {
    long period = limit.periodMicrosAt(now);
    long requests = limit.requests();
    State state = rolled(stored, period, now);
    long start = state.windowStartMicros();
    long weighted = MulDiv.ceil(state.previous(), period - (now - start), period);
    if (weighted + state.current() + cost <= requests) {
      State next = new State(start, state.current() + cost, state.previous());
      long reset = resetMicros(next, period, now);
      return Evaluation.admit(
          requests - weighted - next.current(),
          reset,
          next,
          now + reset,
          requests - weighted - state.current(),
          resetMicros(state, period, now));
    }
    long retry = cost <= requests ? retryMicros(state, requests, cost, period, now) : period;
    return Evaluation.reject(
        requests - weighted - state.current(), resetMicros(state, period, now), retry);
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

  /**
   * Only for a rejected request, which keeps both quotients below the period (sliding-window.lua).
   */
  private static long retryMicros(State state, long requests, long cost, long period, long now) {
    long start = state.windowStartMicros();
    long room = requests - state.current() - cost;
    if (room >= 0) {
      return start + period - MulDiv.of(room, period, state.previous()).quotient() - now;
    }
    if (requests - cost >= state.current()) {
      return start + period - now;
    }
    long nextElapsed = period - MulDiv.of(requests - cost, period, state.current()).quotient();
    return start + period + nextElapsed - now;
  }
}
