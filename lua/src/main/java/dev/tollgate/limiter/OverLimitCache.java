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
 * lists only the limits known to be exhausted, with retry-after counted down to T. Entries vanish
 * at T, and those held weigh at most {@code maximumBytes} by {@link #bytesOf}. The budget is in
 * bytes, not keys, because key values come from clients: a count sized for short keys lets one
 * client fill the heap with long ones. Evicting an entry only sends that client's next request to
 * the delegate, which answers it as before.
 */
public final class OverLimitCache implements RateLimiter {
  /**
   * The default budget's share of the maximum heap, a sixteenth: about 36 MiB of the chart's 576
   * MiB heap. Half the in-process engine's eighth, because evicting here costs only a call to the
   * delegate, never a wrong answer; behind Redis, this cache and the in-process fallback together
   * take at most three sixteenths of the heap.
   */
  static final int HEAP_SHARE_DIVISOR = 16;

  /**
   * What an entry holds besides its key value's characters: the cache's node, the hash table's node
   * and slot, the frequency sketch's counters, the key and entry records, the refusal's outcome
   * with its check and two durations, two instants, and the String and array headers (the limit's
   * definition is shared by all its clients). Measured on JDK 25 at 388-391 bytes with compressed
   * references (heaps below 32 GiB) and 478-483 without; rounded up above both so that the estimate
   * is never below what an entry takes.
   */
  static final int ENTRY_OVERHEAD_BYTES = 512;

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

  /**
   * @param delegate the limiter that decides what the cache does not answer; closed with the cache
   * @param clock the time source; tests pass a controllable one
   * @param maximumBytes what the held entries may weigh together, by {@link #bytesOf}
   */
  public OverLimitCache(RateLimiter delegate, InstantSource clock, long maximumBytes) {
    this.delegate = delegate;
    this.clock = clock;
    this.limited =
        Caffeine.newBuilder()
            .maximumWeight(maximumBytes)
            .<Client, Limited>weigher((client, entry) -> bytesOf(client.keyValue()))
            .ticker(() -> epochNanos(clock.instant()))
            // Evicting on the writing thread holds the budget at every write: a flood of new keys
            // cannot outrun maintenance left to the common pool.
            .executor(Runnable::run)
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

  /** The budget of the factory's and the gateway's cache: a sixteenth of the maximum heap. */
  public static long defaultMaximumBytes() {
    return Runtime.getRuntime().maxMemory() / HEAP_SHARE_DIVISOR;
  }

  /**
   * An upper estimate of the heap one entry takes. A key value of about 400 characters (one header
   * part at its longest, 384, behind its label) weighs about 1,320; such entries were measured to
   * take 790-882 bytes in Latin-1 and 1,195-1,287 in UTF-16.
   */
  static int bytesOf(String keyValue) {
    return ENTRY_OVERHEAD_BYTES + KeyValueWeight.bytesOf(keyValue);
  }

  private static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000 + instant.getNano();
  }
}
