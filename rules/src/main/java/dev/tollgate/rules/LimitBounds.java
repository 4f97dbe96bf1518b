package dev.tollgate.rules;

import dev.tollgate.api.v1alpha1.Limit;
import dev.tollgate.api.v1alpha1.LimitWindow;
import dev.tollgate.api.v1alpha1.Rate;
import java.math.BigInteger;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The numbers and windows the limiter engine can run exactly: the rule and its message live here
 * once. The rulebook applies them to every limit and tier of a policy (with field paths), the
 * engine's {@code LimitDefinition} calls {@link #firstProblem} and {@link #firstCalendarProblem} as
 * defensive invariants, and the CRD's rules state the same bounds for {@code kubectl apply}, so a
 * limit the operator wrote is one the engine accepts.
 *
 * <p>Why these bounds (docs/limiter.md, "Bounds"): Redis Lua numbers are doubles, exact for
 * integers below 2^53. Counts up to 1e9 and times within 366 days of now stay far below that, and
 * the scripts never form a product of a count and a time (up to 3.2e22); a token bucket or gcra
 * that refills its burst within 366 days keeps every time it computes within that range. A sliding
 * log stores one entry per admitted request, so its size per key is bounded by its rate.
 */
public final class LimitBounds {
  /** Most requests per period or window, and largest burst: the CRD's maximum. */
  public static final long MAX_REQUESTS = Rate.MAX_REQUESTS;

  /** A sliding log keeps one entry per admitted request; this bounds its memory per key. */
  public static final long MAX_SLIDING_LOG_REQUESTS = 100_000;

  public static final Duration MIN_PERIOD = Duration.ofMillis(1);

  /** The longest rolling period, and the longest a token bucket or gcra may take to refill. */
  public static final Duration MAX_PERIOD = Duration.ofDays(366);

  private static final long MAX_PERIOD_MICROS = MAX_PERIOD.toNanos() / 1_000;

  /** What an algorithm keeps, as far as its bounds are concerned. */
  public enum Shape {
    /** token-bucket, gcra: a capacity of {@code burst}. */
    BUCKET,
    /** fixed-window, sliding-window: counters per window. */
    WINDOW,
    /** sliding-log: one entry per admitted request. */
    LOG;

    public static Shape of(Limit.Algorithm algorithm) {
      return switch (algorithm) {
        case TOKEN_BUCKET, GCRA -> BUCKET;
        case FIXED_WINDOW, SLIDING_WINDOW -> WINDOW;
        case SLIDING_LOG -> LOG;
      };
    }
  }

  private LimitBounds() {}

  /** How many requests a client can make at once: the burst of a bucket, else the rate. */
  public static long capacity(Shape shape, long requests, long burst) {
    return shape == Shape.BUCKET ? burst : requests;
  }

  /**
   * Adds the problems of one limit's (or tier's) numbers over a rolling period to {@code at}, with
   * fields relative to it: {@code rate.requests}, {@code rate.period}, {@code burst}.
   */
  public static void check(Shape shape, long requests, Duration period, long burst, Problems at) {
    checkCounts(shape, requests, burst, at);
    if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
      at.add("rate.period", "must be between 1ms and 366 days (8784h), was " + describe(period));
    }
    if (at.isEmpty() && shape == Shape.BUCKET && burst > largestRefillableBurst(requests, period)) {
      at.add(
          "burst",
          "must refill within 366 days (burst x rate.period <= rate.requests x 8784h), was "
              + burst
              + " with "
              + requests
              + " per "
              + describe(period)
              + ": at most "
              + largestRefillableBurst(requests, period));
    }
  }

  /**
   * Adds the problems of requests and burst alone (fields {@code rate.requests}, {@code burst}):
   * what a limit or tier over a calendar window must meet.
   */
  public static void checkCounts(Shape shape, long requests, long burst, Problems at) {
    if (requests < 1 || requests > MAX_REQUESTS) {
      at.add("rate.requests", "must be between 1 and " + MAX_REQUESTS + ", was " + requests);
    }
    // a burst equal to requests is usually the default (none set): requests' problem says it all
    if ((burst < 1 || burst > MAX_REQUESTS) && burst != requests) {
      at.add("burst", "must be between 1 and " + MAX_REQUESTS + ", was " + burst);
    }
    if (shape == Shape.LOG && requests > MAX_SLIDING_LOG_REQUESTS) {
      at.add(
          "rate.requests",
          "must not exceed "
              + MAX_SLIDING_LOG_REQUESTS
              + " for sliding-log, which stores one entry per request, was "
              + requests
              + "; use sliding-window or fixed-window");
    }
  }

  /**
   * Adds the problems of a calendar window to {@code at} (fields {@code window}, {@code
   * window.calendar}, {@code window.timeZone}): only fixed-window counts per calendar window, and
   * the zone must be one of this runtime's tz data.
   */
  public static void checkCalendar(
      Limit.Algorithm algorithm, LimitWindow.Calendar calendar, String timeZone, Problems at) {
    if (algorithm != Limit.Algorithm.FIXED_WINDOW) {
      at.add(
          "window", "a calendar window needs algorithm fixed-window, not " + algorithm.wireName());
    }
    if (calendar == null) {
      at.add("window.calendar", "required (day, week or month)");
    }
    timeZoneProblem(timeZone).ifPresent(problem -> at.add("window.timeZone", problem));
  }

  /** What is wrong with a time zone name; empty for a region of this runtime's tz database. */
  public static Optional<String> timeZoneProblem(String timeZone) {
    if (timeZone == null) {
      return Optional.of("required, e.g. Europe/Berlin or UTC");
    }
    if (!ZoneId.getAvailableZoneIds().contains(timeZone)) {
      return Optional.of(
          "'"
              + timeZone
              + "' is not a time zone of the tz database (e.g. Europe/Berlin, America/New_York,"
              + " UTC); fixed offsets such as +01:00 have no calendar of their own");
    }
    return Optional.empty();
  }

  /**
   * The largest burst that refills within 366 days at {@code requests} per {@code period}: floor(
   * requests x 366 days / period), at least {@code requests} (a period is at most 366 days).
   * Computed exactly: the product reaches 3.2e22.
   */
  public static long largestRefillableBurst(long requests, Duration period) {
    long periodMicros = Math.max(1, period.toNanos() / 1_000);
    return BigInteger.valueOf(requests)
        .multiply(BigInteger.valueOf(MAX_PERIOD_MICROS))
        .divide(BigInteger.valueOf(periodMicros))
        .min(BigInteger.valueOf(Long.MAX_VALUE))
        .longValue();
  }

  /** The first problem {@link #check} finds, as {@code field: message}; for engine invariants. */
  public static Optional<String> firstProblem(
      Shape shape, long requests, Duration period, long burst) {
    Problems problems = Problems.collect();
    check(shape, requests, period, burst, problems);
    return first(problems);
  }

  /** The first problem of a limit over a calendar window; for engine invariants. */
  public static Optional<String> firstCalendarProblem(
      Limit.Algorithm algorithm,
      long requests,
      long burst,
      LimitWindow.Calendar calendar,
      String timeZone) {
    Problems problems = Problems.collect();
    checkCounts(Shape.of(algorithm), requests, burst, problems);
    checkCalendar(algorithm, calendar, timeZone, problems);
    return first(problems);
  }

  private static Optional<String> first(Problems problems) {
    List<Problem> found = problems.list();
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).toString());
  }

  /** {@code 24h}, {@code 90s}, {@code 250ms}: the spec's own syntax where it fits. */
  static String describe(Duration period) {
    if (period.isZero() || period.isNegative() || period.toNanos() % 1_000_000 != 0) {
      return period.toString();
    }
    if (period.toMillis() % 3_600_000 == 0) {
      return period.toHours() + "h";
    }
    if (period.toMillis() % 60_000 == 0) {
      return period.toMinutes() + "m";
    }
    if (period.toMillis() % 1_000 == 0) {
      return period.toSeconds() + "s";
    }
    return period.toMillis() + "ms";
  }
}
