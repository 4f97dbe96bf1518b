package dev.tollgate.limiter.local;

import dev.tollgate.limiter.LimitDefinition;

/** Twin of token-bucket.lua: the level is kept in 1/period_us token units, so refill is exact. */
final class TokenBucket implements LocalAlgorithm {
  /** Fields l, s and t of the Lua hash. */
  record State(long level, long scale, long lastMicros) implements LimitState {}

  @Override
  public Evaluation evaluate(LimitState stored, LimitDefinition limit, long cost, long now) {
    long period = limit.periodMicros();
    long requests = limit.requests();
    long cap = limit.burst() * period;
    long level = cap;
    long last = now;
    if (stored instanceof State state) {
      level = state.level();
      last = state.lastMicros();
      if (state.scale() != period) {
        level = Math.min(Math.floorDiv(level, state.scale()), limit.burst()) * period;
      }
      if (now > last) {
        long deficit = cap - level;
        long elapsed = now - last;
        level =
            deficit <= 0 || elapsed >= Math.ceilDiv(deficit, requests)
                ? cap
                : level + elapsed * requests;
        last = now;
      }
      level = Math.min(level, cap);
    }
    long need = cost * period;
    if (level >= need) {
      long left = level - need;
      long reset = Math.ceilDiv(cap - left, requests);
      return Evaluation.admit(
          Math.floorDiv(left, period),
          reset,
          new State(left, period, last),
          last + reset,
          Math.floorDiv(level, period),
          Math.ceilDiv(cap - level, requests));
    }
    long retry = need <= cap ? Math.ceilDiv(need - level, requests) : period;
    return Evaluation.reject(
        Math.floorDiv(level, period), Math.ceilDiv(cap - level, requests), retry);
  }
}
