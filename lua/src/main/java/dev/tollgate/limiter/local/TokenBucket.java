package dev.tollgate.limiter.local;

import dev.tollgate.limiter.LimitDefinition;

/**
 * Twin of token-bucket.lua: whole tokens plus the next token's fraction in 1/period_us units, so
 * refill is exact at any size.
 */
final class TokenBucket implements LocalAlgorithm {
  /** Fields w, f, p and u of the Lua hash. */
  record State(long whole, long fraction, long periodScale, long lastMicros)
      implements LimitState {}

  @Override
  public Evaluation evaluate(LimitState stored, LimitDefinition limit, long cost, long now) {
    long period = limit.periodMicrosAt(now);
    long requests = limit.requests();
    long burst = limit.burst();
    long whole = burst;
    long fraction = 0;
    long last = now;
    if (stored instanceof State state) {
      whole = state.whole();
      fraction = state.periodScale() == period ? state.fraction() : 0;
      last = state.lastMicros();
      if (now > last) {
        // at most the burst: after an edit to a much higher rate the quotient can pass a long
        MulDiv gained = MulDiv.of(now - last, requests, period);
        whole += Math.min(gained.quotient(), burst);
        fraction += gained.remainder();
        if (fraction >= period) {
          whole += 1;
          fraction -= period;
        }
        last = now;
      }
      if (whole >= burst) {
        whole = burst;
        fraction = 0;
      }
    }
    if (whole >= cost) {
      long left = whole - cost;
      long reset = refillMicros(period, requests, burst - left, fraction);
      return Evaluation.admit(
          left,
          reset,
          new State(left, fraction, period, last),
          last + reset,
          whole,
          refillMicros(period, requests, burst - whole, fraction));
    }
    long retry = cost <= burst ? refillMicros(period, requests, cost - whole, fraction) : period;
    return Evaluation.reject(whole, refillMicros(period, requests, burst - whole, fraction), retry);
  }

  /** ceil((tokens x period - fraction) / requests): until that many tokens have refilled. */
  private static long refillMicros(long period, long requests, long tokens, long fraction) {
    MulDiv division = MulDiv.of(tokens, period, requests);
    return division.quotient() + Math.ceilDiv(division.remainder() - fraction, requests);
  }
}
