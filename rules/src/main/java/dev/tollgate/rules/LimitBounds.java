package dev.tollgate.rules;

import dev.tollgate.api.v1alpha1.Limit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The numbers the limiter engine can run exactly: the rule and its message live here once. The
 * rulebook applies them to every limit and tier of a policy (with field paths), and the engine's
 * {@code LimitDefinition} calls {@link #firstProblem} as a defensive invariant, so a limit the
 * operator wrote is one the engine accepts.
 *
 * <p>Why these bounds: Redis Lua numbers are doubles, exact for integers up to 2^53, and the
 * scripts compute with {@code requests x period in microseconds}; a sliding log stores one entry
 * per admitted request, so its size per key is bounded by its rate.
 */
public final class LimitBounds {
  /** Largest integer a Lua number (a double) holds exactly. */
  public static final long EXACT_LIMIT = 1L << 53;

  /** A sliding log keeps one entry per admitted request; this bounds its memory per key. */
  public static final long MAX_SLIDING_LOG_REQUESTS = 100_000;

  public static final Duration MIN_PERIOD = Duration.ofMillis(1);
  public static final Duration MAX_PERIOD = Duration.ofDays(366);

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
   * Adds the problems of one limit's (or tier's) numbers to {@code at}, with fields relative to it:
   * {@code rate.requests}, {@code rate.period}, {@code burst}, {@code rate}.
   */
  public static void check(Shape shape, long requests, Duration period, long burst, Problems at) {
    if (requests < 1) {
      at.add("rate.requests", "must be at least 1, was " + requests);
    }
    if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
      at.add("rate.period", "must be between 1ms and 366 days (8784h), was " + describe(period));
    }
    if (burst < 1) {
      at.add("burst", "must be at least 1, was " + burst);
    }
    if (!at.isEmpty()) {
      return;
    }
    long largest = shape == Shape.BUCKET ? Math.max(burst, requests) : requests;
    long periodMicros = period.toNanos() / 1_000;
    if (Math.multiplyHigh(largest, periodMicros) != 0 || largest * periodMicros > EXACT_LIMIT) {
      at.add(
          shape == Shape.BUCKET && burst > requests ? "burst" : "rate",
          largest
              + " requests per "
              + describe(period)
              + " is beyond the limiter's exact arithmetic (requests x period in microseconds"
              + " must not exceed 2^53): at most "
              + EXACT_LIMIT / periodMicros
              + " per "
              + describe(period)
              + "; use a shorter period or fewer requests");
    }
    if (shape == Shape.LOG && requests > MAX_SLIDING_LOG_REQUESTS) {
      at.add(
          "rate.requests",
          "must not exceed "
              + MAX_SLIDING_LOG_REQUESTS
              + " for sliding-log, which stores one entry per request, was "
              + requests
              + "; use sliding-window");
    }
  }

  /** The first problem {@link #check} finds, as {@code field: message}; for engine invariants. */
  public static Optional<String> firstProblem(
      Shape shape, long requests, Duration period, long burst) {
    Problems problems = Problems.collect();
    check(shape, requests, period, burst, problems);
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
