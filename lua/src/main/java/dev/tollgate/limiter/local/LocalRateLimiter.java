package dev.tollgate.limiter.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tollgate.limiter.Algorithm;
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
 * expires when the Lua key's TTL would (its state is then irrelevant), and at most {@code
 * maximumKeys} keys are held; evicting a live key under that cap only forgets usage (lenient).
 */
public final class LocalRateLimiter implements RateLimiter {
  /** Enough for a million distinct clients at roughly 200 bytes each. */
  public static final long DEFAULT_MAXIMUM_KEYS = 1_000_000;

  private record StateKey(LimitId id, Algorithm algorithm, String keyValue) {}

  /**
   * @param expiresAtMicros rounded up to a whole millisecond, as PEXPIREAT stores it
   */
  private record Stored(LimitState state, long expiresAtMicros) {}

  private final InstantSource clock;
  private final Cache<StateKey, Stored> states;
  private final ReentrantLock lock = new ReentrantLock();

  public LocalRateLimiter() {
    this(InstantSource.system(), DEFAULT_MAXIMUM_KEYS);
  }

  /**
   * @param clock the time source; tests pass a controllable one
   */
  public LocalRateLimiter(InstantSource clock, long maximumKeys) {
    this.clock = clock;
    this.states =
        Caffeine.newBuilder()
            .maximumSize(maximumKeys)
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
