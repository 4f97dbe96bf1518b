package dev.tollgate.limiter;

import java.time.Duration;
import java.util.Objects;

/**
 * One limit as configured: {@code requests} per {@code period} with an algorithm, and for the
 * bucket algorithms a {@code burst} capacity. The numbers may change on every config reload; the
 * state a limit keeps is found by {@link #id()} and algorithm only, so an edit carries state over
 * (each algorithm documents how in its script header and in docs/limiter.md).
 *
 * @param burst capacity of token-bucket and gcra (use {@code requests} for the usual default);
 *     window algorithms ignore it
 */
public record LimitDefinition(
    LimitId id, Algorithm algorithm, long requests, Duration period, long burst) {
  /** Largest integer a Lua number (a double) holds exactly. */
  public static final long EXACT_LIMIT = 1L << 53;

  /** A sliding log keeps one entry per admitted request; this bounds its memory per key. */
  public static final long MAX_SLIDING_LOG_REQUESTS = 100_000;

  private static final Duration MIN_PERIOD = Duration.ofMillis(1);
  private static final Duration MAX_PERIOD = Duration.ofDays(366);

  public LimitDefinition {
    Objects.requireNonNull(id, "id: must be set");
    Objects.requireNonNull(algorithm, "algorithm: must be set");
    Objects.requireNonNull(period, "period: must be set");
    if (requests < 1) {
      throw new IllegalArgumentException(
          id + ": requests: " + requests + " must be at least 1 per period");
    }
    if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
      throw new IllegalArgumentException(
          id + ": period: " + period + " must be between " + MIN_PERIOD + " and " + MAX_PERIOD);
    }
    if (burst < 1) {
      throw new IllegalArgumentException(id + ": burst: " + burst + " must be at least 1");
    }
    long capacity = algorithm.usesBurst() ? Math.max(burst, requests) : requests;
    long periodMicros = period.toNanos() / 1_000;
    if (Math.multiplyHigh(capacity, periodMicros) != 0 || capacity * periodMicros > EXACT_LIMIT) {
      throw new IllegalArgumentException(
          id
              + ": requests/burst "
              + capacity
              + " x period "
              + period
              + " in microseconds must not exceed 2^53, so the Lua arithmetic stays exact;"
              + " use a shorter period or fewer requests");
    }
    if (algorithm == Algorithm.SLIDING_LOG && requests > MAX_SLIDING_LOG_REQUESTS) {
      throw new IllegalArgumentException(
          id
              + ": requests: "
              + requests
              + " must not exceed "
              + MAX_SLIDING_LOG_REQUESTS
              + " for sliding-log, which stores one entry per request; use sliding-window");
    }
  }

  /** A limit whose burst equals its rate (the policy default). */
  public static LimitDefinition of(
      LimitId id, Algorithm algorithm, long requests, Duration period) {
    return new LimitDefinition(id, algorithm, requests, period, requests);
  }

  /**
   * This limit's share on one of {@code replicas} pods that each enforce it alone ({@code
   * failureMode: local}): requests and burst divided by the replicas, rounded up (never below 1),
   * so the pods together admit about the configured rate, slightly more rather than less.
   */
  public LimitDefinition perReplica(int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException(id + ": replicas: " + replicas + " must be at least 1");
    }
    return new LimitDefinition(
        id, algorithm, Math.ceilDiv(requests, replicas), period, Math.ceilDiv(burst, replicas));
  }

  /**
   * The cost to compute with: every cost above the capacity is refused alike (retry-after one
   * period), so it is bounded to capacity + 1, which keeps cost x period exact and within a long.
   */
  public long boundedCost(long cost) {
    return Math.min(cost, capacity() + 1);
  }

  public long periodMicros() {
    return period.toNanos() / 1_000;
  }

  /** How many requests a client can make at once: the burst of a bucket, else the rate. */
  public long capacity() {
    return algorithm.usesBurst() ? burst : requests;
  }
}
