package dev.tollgate.api.v1alpha1;

import dev.tollgate.api.common.DurationStrings;

/**
 * The CEL rules on {@link Limit} and {@link Rate} that state the limiter engine's bounds for {@code
 * kubectl apply}: the same bounds as the rulebook's {@code LimitBounds} (docs/limiter.md,
 * "Bounds"). Spelled here as compile-time constants, since annotation values must be.
 */
final class LimitRules {
  /**
   * Periods whose CEL {@code duration()} cannot overflow (Go's durations end at 2,562,047 hours):
   * what {@link DurationStrings#PATTERN} allows, with at most 7 digits of minutes and 5 of hours. A
   * period outside it is longer than 366 days anyway, and refused as such.
   */
  static final String COMPUTABLE_PERIOD =
      "^([1-9][0-9]{0,8}(ms|s)|[1-9][0-9]{0,6}m|[1-9][0-9]{0,4}h)$";

  /** A rate's period is at most 366 days; its syntax is the schema pattern's to refuse. */
  static final String PERIOD_AT_MOST_366_DAYS =
      "!has(self.period) || !self.period.matches('"
          + DurationStrings.PATTERN
          + "') || (self.period.matches('"
          + COMPUTABLE_PERIOD
          + "') && duration(self.period) <= duration('8784h'))";

  static final String BUCKET = "self.algorithm in ['token-bucket', 'gcra']";

  /**
   * burst x period <= requests x 366 days, in int64 without overflow: with p the period in ms, b x
   * p <= r x 31,622,400 x 1000 exactly when b x (p / 1000) + ceil(b x (p % 1000) / 1000) <= r x
   * 31,622,400 (each side at most 3.2e16).
   */
  static final String LIMIT_REFILLS_WITHIN_366_DAYS =
      "!("
          + BUCKET
          + ") || !has(self.burst) || !has(self.rate.period)"
          + " || !self.rate.period.matches('"
          + COMPUTABLE_PERIOD
          + "')"
          + " || self.burst * (duration(self.rate.period).getMilliseconds() / 1000)"
          + " + (self.burst * (duration(self.rate.period).getMilliseconds() % 1000) + 999) / 1000"
          + " <= self.rate.requests * 31622400";

  /** The same for every tier that sets a burst. */
  static final String TIERS_REFILL_WITHIN_366_DAYS =
      "!("
          + BUCKET
          + ") || !has(self.tiers) || self.tiers.values.all(k,"
          + " !has(self.tiers.values[k].rate) || !has(self.tiers.values[k].burst)"
          + " || !has(self.tiers.values[k].rate.period)"
          + " || !self.tiers.values[k].rate.period.matches('"
          + COMPUTABLE_PERIOD
          + "')"
          + " || self.tiers.values[k].burst"
          + " * (duration(self.tiers.values[k].rate.period).getMilliseconds() / 1000)"
          + " + (self.tiers.values[k].burst"
          + " * (duration(self.tiers.values[k].rate.period).getMilliseconds() % 1000) + 999) / 1000"
          + " <= self.tiers.values[k].rate.requests * 31622400)";

  /** sliding-log stores one entry per request: at most 100,000 per period. */
  static final String SLIDING_LOG_AT_MOST_100000 =
      "self.algorithm != 'sliding-log' || self.rate.requests <= 100000";

  /** The same for every tier. */
  static final String TIERS_SLIDING_LOG_AT_MOST_100000 =
      "self.algorithm != 'sliding-log' || !has(self.tiers) || self.tiers.values.all(k,"
          + " !has(self.tiers.values[k].rate) || self.tiers.values[k].rate.requests <= 100000)";

  /** With a calendar window, tier rates set only requests; without one, a period too. */
  static final String TIERS_FOLLOW_THE_WINDOW =
      "!has(self.tiers) || self.tiers.values.all(k, !has(self.tiers.values[k].rate)"
          + " || has(self.tiers.values[k].rate.period) != has(self.window))";

  /** cost fits the capacity: the burst of a bucket, else rate.requests. */
  static final String COST_FITS_CAPACITY =
      "!has(self.cost) || self.cost <= ("
          + BUCKET
          + " && has(self.burst) ? self.burst : self.rate.requests)";

  /** The same for every tier with a rate: the limit's cost is charged in the tier's buckets. */
  static final String TIERS_FIT_COST =
      "!has(self.cost) || !has(self.tiers) || self.tiers.values.all(k,"
          + " !has(self.tiers.values[k].rate) || self.cost <= ("
          + BUCKET
          + " && has(self.tiers.values[k].burst) ? self.tiers.values[k].burst"
          + " : self.tiers.values[k].rate.requests))";

  private LimitRules() {}
}
