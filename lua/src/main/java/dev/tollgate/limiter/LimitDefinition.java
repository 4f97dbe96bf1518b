package dev.tollgate.limiter;

import dev.tollgate.rules.LimitBounds;
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
  public LimitDefinition {
    Objects.requireNonNull(id, "id: must be set");
    Objects.requireNonNull(algorithm, "algorithm: must be set");
    Objects.requireNonNull(period, "period: must be set");
    // A defensive invariant: the rulebook refuses such numbers before they reach the engine, with
    // the same rule and message and the field path in the policy.
    LimitBounds.firstProblem(algorithm.shape(), requests, period, burst)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(id + ": " + problem);
            });
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
    return LimitBounds.capacity(algorithm.shape(), requests, burst);
  }
}
