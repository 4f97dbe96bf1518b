package dev.tollgate.limiter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers requests of a client known to be limited until T locally until T, so a flood from one
 * client does not reach Redis. Wraps any {@link RateLimiter}.
 *
 * <p>An entry is the limit (with its numbers: raising a limit misses the cache at once) and key
 * value, the cost that was refused in it, and T = now + the limit's retry-after. Only requests
 * costing at least as much are answered from it (a cheaper request might fit earlier). The answer
 * lists only the limits known to be exhausted, with retry-after counted down to T. Memory is
 * bounded by {@code maximumKeys}; entries vanish at T.
 */
public final class OverLimitCache implements RateLimiter {
  private record Limited(LimitOutcome outcome, long cost, Instant until, Instant resetAt) {}

  /** A limit for one client, whatever a request costs in it. */
  private record Client(LimitDefinition limit, String keyValue) {
    static Client of(LimitCheck check) {
      return new Client(check.limit(), check.keyValue());
    }
  }

  private final RateLimiter delegate;
  private final InstantSource clock;
  private final Cache<Client, Limited> limited;

  public OverLimitCache(RateLimiter delegate, InstantSource clock, long maximumKeys) {
    this.delegate = delegate;
    this.clock = clock;
    this.limited =
        Caffeine.newBuilder()
            .maximumSize(maximumKeys)
            .ticker(() -> epochNanos(clock.instant()))
            .expireAfter(
                Expiry.<Client, Limited>writing(
                    (client, entry) -> Duration.between(clock.instant(), entry.until())))
            .build();
  }

  @Override
  public CompletionStage<LimitDecision> decide(LimitRequest request) {
    Instant now = clock.instant();
    List<LimitOutcome> known = new ArrayList<>();
    for (LimitCheck check : request.checks()) {
      Limited entry = limited.getIfPresent(Client.of(check));
      if (entry != null && check.cost() >= entry.cost() && now.isBefore(entry.until())) {
        Duration retryAfter = Duration.between(now, entry.until());
        Duration reset = Duration.between(now, entry.resetAt());
        known.add(
            LimitOutcome.limited(
                check,
                entry.outcome().limit(),
                entry.outcome().remaining(),
                reset.compareTo(retryAfter) < 0 ? retryAfter : reset,
                retryAfter));
      }
    }
    if (!known.isEmpty()) {
      return CompletableFuture.completedFuture(LimitDecision.of(known));
    }
    return delegate.decide(request).thenApply(this::remember);
  }

  private LimitDecision remember(LimitDecision decision) {
    Instant now = clock.instant();
    for (LimitOutcome outcome : decision.outcomes()) {
      if (!outcome.allowed() && outcome.retryAfter().isPositive()) {
        limited.put(
            Client.of(outcome.check()),
            new Limited(
                outcome,
                outcome.check().cost(),
                now.plus(outcome.retryAfter()),
                now.plus(outcome.reset())));
      }
    }
    return decision;
  }

  @Override
  public void close() {
    limited.invalidateAll();
    delegate.close();
  }

  private static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000 + instant.getNano();
  }
}
