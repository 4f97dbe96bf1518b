package dev.tollgate.limiter.local;

import dev.tollgate.limiter.LimitDefinition;

/**
 * Twin of gcra.lua: the theoretical arrival time is kept as whole microseconds plus a fraction in
 * 1/requests units, because the emission interval period/requests is rarely integral; every time it
 * compares is such a mixed number, so no product of a count and a time is ever formed.
 */
final class Gcra implements LocalAlgorithm {
  /** Fields a, f and r of the Lua hash. */
  record State(long tatMicros, long fraction, long requests) implements LimitState {}

  /** A time as whole microseconds plus {@code fraction} / requests, fraction in [0, requests). */
  private record Mixed(long whole, long fraction) {
    static Mixed of(long whole, long fraction, long requests) {
      if (fraction >= requests) {
        return new Mixed(whole + 1, fraction - requests);
      }
      if (fraction < 0) {
        return new Mixed(whole - 1, fraction + requests);
      }
      return new Mixed(whole, fraction);
    }

    /** count x period / requests. */
    static Mixed times(long count, long period, long requests) {
      MulDiv division = MulDiv.of(count, period, requests);
      return new Mixed(division.quotient(), division.remainder());
    }

    Mixed minus(Mixed other, long requests) {
      return of(whole - other.whole, fraction - other.fraction, requests);
    }

    boolean atMost(Mixed other) {
      return whole < other.whole || (whole == other.whole && fraction <= other.fraction);
    }

    long ceil() {
      return fraction > 0 ? whole + 1 : whole;
    }

    /** Requests that fit into this time at one per period/requests; 0 when negative. */
    long requestsIn(long period, long requests) {
      if (whole < 0) {
        return 0;
      }
      MulDiv division = MulDiv.of(whole, requests, period);
      return division.quotient() + Math.floorDiv(division.remainder() + fraction, period);
    }
  }

  @Override
  public Evaluation evaluate(LimitState stored, LimitDefinition limit, long cost, long now) {
    long period = limit.periodMicrosAt(now);
    long requests = limit.requests();
    Mixed tolerance = Mixed.times(limit.burst(), period, requests);
    long tat = now;
    long fraction = 0;
    if (stored instanceof State state && state.tatMicros() >= now) {
      tat = state.tatMicros();
      fraction = state.requests() == requests ? state.fraction() : 0;
    }
    Mixed step = Mixed.times(cost, period, requests);
    Mixed newTat = Mixed.of(tat + step.whole(), fraction + step.fraction(), requests);
    Mixed debt = new Mixed(newTat.whole() - now, newTat.fraction());
    Mixed current = new Mixed(tat - now, fraction);
    Mixed idle = tolerance.minus(current, requests);
    if (debt.atMost(tolerance)) {
      long reset = debt.ceil();
      return Evaluation.admit(
          tolerance.minus(debt, requests).requestsIn(period, requests),
          reset,
          new State(newTat.whole(), newTat.fraction(), requests),
          now + reset,
          idle.requestsIn(period, requests),
          current.ceil());
    }
    long retry = cost <= limit.burst() ? debt.minus(tolerance, requests).ceil() : period;
    return Evaluation.reject(idle.requestsIn(period, requests), current.ceil(), retry);
  }
}
