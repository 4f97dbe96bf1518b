package dev.tollgate.limiter.local;

import dev.tollgate.limiter.LimitDefinition;
import java.util.Arrays;

/**
 * Twin of sliding-log.lua: one timestamp per admitted request unit; an entry counts while it is
 * younger than the period. Entries are kept sorted, oldest first, like the sorted set's scores.
 */
final class SlidingLog implements LocalAlgorithm {
  /** The sorted set's scores; never modified after construction. */
  record State(long[] admittedMicros) implements LimitState {}

  @Override
  public Evaluation evaluate(LimitState stored, LimitDefinition limit, long cost, long now) {
    long period = limit.periodMicrosAt(now);
    long requests = limit.requests();
    long[] log = stored instanceof State state ? state.admittedMicros() : new long[0];
    long horizon = now - period;
    int firstLive = firstAfter(log, horizon);
    int count = log.length - firstLive;
    long reset = count > 0 ? log[log.length - 1] + period - now : 0;
    if (count + cost <= requests) {
      long[] next = Arrays.copyOfRange(log, firstLive, log.length + (int) cost);
      Arrays.fill(next, count, next.length, now);
      return Evaluation.admit(
          requests - count - cost, period, new State(next), now + period, requests - count, reset);
    }
    long retry =
        cost <= requests
            ? log[firstLive + (int) (count + cost - requests - 1)] + period - now
            : period;
    return Evaluation.reject(requests - count, reset, retry);
  }

  /** Index of the first entry strictly after {@code horizon} (ZCOUNT's exclusive lower bound). */
  private static int firstAfter(long[] log, long horizon) {
    int index = 0;
    while (index < log.length && log[index] <= horizon) {
      index++;
    }
    return index;
  }
}
