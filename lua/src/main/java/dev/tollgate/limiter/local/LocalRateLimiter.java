package dev.tollgate.limiter.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.KeyValueWeight;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitOutcome;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-process limiter: the same algorithms and figures as the Redis engine, for one process.
 *
 * <p>All limits of a request are decided under one lock, so the request is all-or-nothing like the
 * Lua script. One lock is enough: a decision is a few arithmetic operations (well under a
 * microsecond), far below what a single gateway serves. Memory is bounded twice: each key's state
 * expires when the Lua key's TTL would (its state is then irrelevant), and the entries held weigh
 * at most {@code maximumBytes} by {@link #bytesOf}; evicting a live key to stay within that budget
 * only forgets usage (lenient). The budget is in bytes, not keys, because key values come from
 * clients: a count sized for short keys lets one client fill the heap with long ones.
 */
public final class LocalRateLimiter implements RateLimiter {
  /**
   * The default budget's share of the maximum heap, an eighth: about 72 MiB of the chart's 576 MiB
   * heap, leaving the rest to the config, connections and the over-limit cache (a sixteenth, see
   * {@link dev.tollgate.limiter.OverLimitCache}). Of a gateway's two instances only one fills: the
   * decider in standalone mode, the fallback behind Redis.
   */
  static final int HEAP_SHARE_DIVISOR = 8;

  /**
   * What an entry holds besides its key value's characters and a sliding log's entries: the cache's
   * node, the hash table's node and slot, the frequency sketch's counters, the key and stored
   * records, the largest state record, and the String and array headers. Measured on JDK 25 at
   * 260-275 bytes with compressed references (heaps below 32 GiB) and 345-360 without; rounded up
   * above both so that the estimate is never below what an entry takes.
   */
  static final int ENTRY_OVERHEAD_BYTES = 384;

  /** One admitted request in a sliding log (a {@code long}). */
  static final int BYTES_PER_LOG_ENTRY = Long.BYTES;

  private record StateKey(LimitId id, Algorithm algorithm, String keyValue) {}

  /**
   * @param expiresAtMicros rounded up to a whole millisecond, as PEXPIREAT stores it
   */
  private record Stored(LimitState state, long expiresAtMicros) {}

  private final InstantSource clock;
  private final Cache<StateKey, Stored> states;
  private final ReentrantLock lock = new ReentrantLock();

  public LocalRateLimiter() {
    this(InstantSource.system(), defaultMaximumBytes());
  }

  /**
   * @param clock the time source; tests pass a controllable one
   * @param maximumBytes what the held entries may weigh together, by {@link #bytesOf}
   */
  public LocalRateLimiter(InstantSource clock, long maximumBytes) {
    this.clock = clock;
    this.states =
        Caffeine.newBuilder()
            .maximumWeight(maximumBytes)
            .<StateKey, Stored>weigher((key, stored) -> bytesOf(key.keyValue(), stored.state()))
            .ticker(() -> epochNanos(clock.instant()))
            .executor(Runnable::run)
            .expireAfter(
                Expiry.<StateKey, Stored>writing(
                    (key, stored) ->
                        Duration.ofNanos(
                            (stored.expiresAtMicros() - epochMicros(clock.instant())) * 1_000)))
            .build();
  }

  @Override
  public CompletionStage<LimitDecision> decide(LimitRequest request) {
    return CompletableFuture.completedFuture(decideNow(request));
  }

  /** Decides synchronously; the gateway's fail-local path can call this directly. */
  public LimitDecision decideNow(LimitRequest request) {
    List<LimitCheck> checks = request.checks();
    List<Evaluation> evaluations = new ArrayList<>(checks.size());
    boolean admitted;
    lock.lock();
    try {
      long now = epochMicros(clock.instant());
      for (LimitCheck check : checks) {
        Stored stored = states.getIfPresent(keyOf(check));
        evaluations.add(
            LocalAlgorithm.of(check.limit().algorithm())
                .evaluate(
                    stored == null ? null : stored.state(),
                    check.limit(),
                    check.limit().boundedCost(check.cost()),
                    now));
      }
      admitted = evaluations.stream().allMatch(Evaluation::allowed);
      if (admitted) {
        for (int i = 0; i < checks.size(); i++) {
          Evaluation evaluation = evaluations.get(i);
          states.put(
              keyOf(checks.get(i)),
              new Stored(
                  evaluation.next(), Math.ceilDiv(evaluation.expiresAtMicros(), 1_000) * 1_000));
        }
      }
    } finally {
      lock.unlock();
    }
    List<LimitOutcome> outcomes = new ArrayList<>(checks.size());
    for (int i = 0; i < checks.size(); i++) {
      Evaluation evaluation = evaluations.get(i);
      outcomes.add(
          LimitOutcome.ofMicros(
              checks.get(i),
              evaluation.allowed(),
              admitted ? evaluation.remaining() : evaluation.idleRemaining(),
              admitted ? evaluation.resetMicros() : evaluation.idleResetMicros(),
              evaluation.retryMicros()));
    }
    return LimitDecision.of(outcomes);
  }

  /** How many keys hold state now (expired ones are dropped lazily). */
  public long keyCount() {
    states.cleanUp();
    return states.estimatedSize();
  }

  @Override
  public void close() {
    states.invalidateAll();
  }

  /** The budget of {@link #LocalRateLimiter()}: an eighth of the maximum heap. */
  public static long defaultMaximumBytes() {
    return Runtime.getRuntime().maxMemory() / HEAP_SHARE_DIVISOR;
  }

  /**
   * An upper estimate of the heap one entry takes. A key value of about 400 characters (one header
   * part at its longest, 384, behind its label) weighs about 1,190; such entries were measured to
   * take 667-751 bytes in Latin-1 and 1,067-1,151 in UTF-16. The weight is taken again at every
   * write, so a sliding log is charged for its current length.
   */
  static int bytesOf(String keyValue, LimitState state) {
    int logEntries = state instanceof SlidingLog.State log ? log.admittedMicros().length : 0;
    return ENTRY_OVERHEAD_BYTES
        + KeyValueWeight.bytesOf(keyValue)
        + BYTES_PER_LOG_ENTRY * logEntries;
  }

  private static StateKey keyOf(LimitCheck check) {
    return new StateKey(check.limit().id(), check.limit().algorithm(), check.keyValue());
  }

  private static long epochMicros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
  }

  private static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000 + instant.getNano();
  }
}
