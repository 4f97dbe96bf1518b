package dev.tollgate.gateway.edge;

import java.time.Duration;

/**
 * How often a sweeper checks deadlines: a quarter of the shorter deadline, between 50 ms and 1 s,
 * so a deadline is enforced at most that late and a sweep over every connection runs at most 20
 * times a second.
 */
public final class SweepPeriod {
  private static final Duration MIN = Duration.ofMillis(50);
  private static final Duration MAX = Duration.ofSeconds(1);

  private SweepPeriod() {}

  public static Duration of(Duration first, Duration second) {
    Duration shorter = first.compareTo(second) < 0 ? first : second;
    Duration quarter = shorter.dividedBy(4);
    if (quarter.compareTo(MIN) < 0) {
      return MIN;
    }
    return quarter.compareTo(MAX) > 0 ? MAX : quarter;
  }
}
