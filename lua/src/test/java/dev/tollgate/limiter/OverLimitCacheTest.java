package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.local.LocalRateLimiter;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OverLimitCacheTest {
  private final TestClock clock = TestClock.aDayAhead();
  private final CountingLimiter backend = new CountingLimiter(new LocalRateLimiter(clock, 1 << 20));
  private final OverLimitCache cache = new OverLimitCache(backend, clock, 1 << 20);

  private static final LimitDefinition TWO_PER_MINUTE =
      LimitDefinition.of(
          new LimitId("shop", "orders", "per-user"),
          Algorithm.FIXED_WINDOW,
          2,
          Duration.ofMinutes(1));

  /** Counts the requests that reach the real limiter behind the cache. */
  private static final class CountingLimiter implements RateLimiter {
    private final RateLimiter delegate;
    private final AtomicInteger calls = new AtomicInteger();

    CountingLimiter(RateLimiter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletionStage<LimitDecision> decide(LimitRequest request) {
      calls.incrementAndGet();
      return delegate.decide(request);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  private LimitDecision decide(LimitDefinition limit, long cost) {
    return cache
        .decide(LimitRequest.of(new LimitCheck(limit, "sub=alice", cost)))
        .toCompletableFuture()
        .join();
  }

  @Test
  void answersALimitedClientLocallyUntilItMayRetry() {
    decide(TWO_PER_MINUTE, 1);
    decide(TWO_PER_MINUTE, 1);
    LimitDecision first = decide(TWO_PER_MINUTE, 1);
    clock.advance(Duration.ofSeconds(10));

    LimitDecision cached = decide(TWO_PER_MINUTE, 1);

    assertThat(first.allowed()).isFalse();
    assertThat(cached.allowed()).isFalse();
    assertThat(cached.mostRestrictive().retryAfter())
        .isEqualTo(first.mostRestrictive().retryAfter().minusSeconds(10));
    assertThat(backend.calls).hasValue(3);

    clock.advance(first.mostRestrictive().retryAfter());
    assertThat(decide(TWO_PER_MINUTE, 1).allowed()).isTrue();
    assertThat(backend.calls).hasValue(4);
  }

  @Test
  void asksTheBackendForACheaperRequestOrARaisedLimit() {
    decide(TWO_PER_MINUTE, 2);
    assertThat(decide(TWO_PER_MINUTE, 2).allowed()).isFalse();
    LimitDefinition raised =
        LimitDefinition.of(TWO_PER_MINUTE.id(), Algorithm.FIXED_WINDOW, 5, Duration.ofMinutes(1));

    decide(TWO_PER_MINUTE, 1);
    LimitDecision underRaisedLimit = decide(raised, 2);

    assertThat(backend.calls).hasValue(4);
    assertThat(underRaisedLimit.allowed()).isTrue();
  }
}
