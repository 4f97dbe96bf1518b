package dev.tollgate.limiter.local;

import dev.tollgate.limiter.LimitDefinition;

/**
 * Twin of gcra.lua: the theoretical arrival time is kept as whole microseconds plus a fraction in
 * 1/requests units, because the emission interval period/requests is rarely integral.
 */
final class Gcra implements LocalAlgorithm {
  /** Fields a, f and r of the Lua hash. */
  record State(long tatMicros, long fraction, long requests) implements LimitState {}

  @Override
  public Evaluation evaluate(LimitState stored, LimitDefinition limit, long cost, long now) {
    long period = limit.periodMicros();
    long requests = limit.requests();
    long tolerance = limit.burst() * period;
    long tat = now;
    long fraction = 0;
    if (stored instanceof State state && state.tatMicros() >= now) {
      tat = state.tatMicros();
      fraction = state.requests() == requests ? state.fraction() : 0;
    }
    long step = cost * period;
    long newTat = tat + step / requests;
    long newFraction = fraction + step % requests;
    if (newFraction >= requests) {
      newTat += 1;
      newFraction -= requests;
    }
    long debt = (newTat - now) * requests + newFraction;
    long current = (tat - now) * requests + fraction;
    if (debt <= tolerance) {
      long reset = Math.ceilDiv(debt, requests);
      return Evaluation.admit(
          Math.floorDiv(tolerance - debt, period),
          reset,
          new State(newTat, newFraction, requests),
          now + reset,
          Math.floorDiv(tolerance - current, period),
          Math.ceilDiv(current, requests));
    }
    long retry = cost <= limit.burst() ? Math.ceilDiv(debt - tolerance, requests) : period;
    return Evaluation.reject(
        Math.floorDiv(tolerance - current, period), Math.ceilDiv(current, requests), retry);
  }
}
