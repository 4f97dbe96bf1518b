package dev.tollgate.limiter;

import dev.tollgate.rules.LimitBounds;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One limit as configured: {@code requests} per {@code window} with an algorithm, and for the
 * bucket algorithms a {@code burst} capacity. The numbers may change on every config reload; the
 * state a limit keeps is found by {@link #id()} and algorithm only, so an edit carries state over
 * (each algorithm documents how in its script header and in docs/limiter.md).
 *
 * <p>The constructor enforces the engine's bounds ({@link LimitBounds}, the rulebook's, which the
 * CRD's rules state too): within them every algorithm decides exactly (docs/limiter.md, "Bounds").
 *
 * @param window a rolling period, or a calendar window (fixed-window only)
 * @param burst capacity of token-bucket and gcra (use {@code requests} for the usual default);
 *     window algorithms ignore it
 */
public record LimitDefinition(
    LimitId id, Algorithm algorithm, long requests, Window window, long burst) {
  public LimitDefinition {
    Objects.requireNonNull(id, "id: must be set");
    Objects.requireNonNull(algorithm, "algorithm: must be set");
    Objects.requireNonNull(window, "window: must be set");
    // A defensive invariant: the rulebook refuses such numbers before they reach the engine, with
    // the same rule and message and the field path in the policy.
    Optional<String> problem =
        switch (window) {
          case RollingWindow rolling ->
              LimitBounds.firstProblem(algorithm.shape(), requests, rolling.period(), burst);
          case CalendarWindow calendar ->
              LimitBounds.firstCalendarProblem(
                  algorithm.policyAlgorithm(),
                  requests,
                  burst,
                  calendar.unit().policyCalendar(),
                  calendar.zone().getId());
        };
    problem.ifPresent(
        p -> {
          throw new IllegalArgumentException(id + ": " + p);
        });
  }

  /** A limit over a rolling period. */
  public LimitDefinition(
      LimitId id, Algorithm algorithm, long requests, Duration period, long burst) {
    this(id, algorithm, requests, new RollingWindow(period), burst);
  }

  /** A limit over a rolling period whose burst equals its rate (the policy default). */
  public static LimitDefinition of(
      LimitId id, Algorithm algorithm, long requests, Duration period) {
    return new LimitDefinition(id, algorithm, requests, period, requests);
  }

  /**
   * This limit's share on one of {@code replicas} pods that each enforce it alone ({@code
   * failureMode: local}): requests and burst divided by the replicas, rounded up (never below 1),
   * so the pods together admit about the configured rate, slightly more rather than less. Rounding
   * can make a share's bucket refill more slowly than the limit's; its burst is then lowered to the
   * most that refills within 366 days, so every share is itself a valid limit.
   */
  public LimitDefinition perReplica(int replicas) {
    if (replicas < 1) {
      throw new IllegalArgumentException(id + ": replicas: " + replicas + " must be at least 1");
    }
    long shareRequests = Math.ceilDiv(requests, replicas);
    long shareBurst = Math.ceilDiv(burst, replicas);
    if (algorithm.usesBurst() && window instanceof RollingWindow rolling) {
      shareBurst =
          Math.min(shareBurst, LimitBounds.largestRefillableBurst(shareRequests, rolling.period()));
    }
    return new LimitDefinition(id, algorithm, shareRequests, window, shareBurst);
  }

  /**
   * The cost to compute with: every cost above the capacity is refused alike (retry-after one
   * period), so it is bounded to capacity + 1, which keeps every cost below 2^31.
   */
  public long boundedCost(long cost) {
    return Math.min(cost, capacity() + 1);
  }

  /** Microseconds of the window in force at {@code nowMicros} (see {@link Window}). */
  public long periodMicrosAt(long nowMicros) {
    return window.lengthMicrosAt(nowMicros);
  }

  /** How many requests a client can make at once: the burst of a bucket, else the rate. */
  public long capacity() {
    return LimitBounds.capacity(algorithm.shape(), requests, burst);
  }
}
