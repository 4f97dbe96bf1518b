package dev.tollgate.limiter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.LongestKeys;
import dev.tollgate.limiter.TestClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-process limiter's memory bound. Key values come from clients, so the bound must hold
 * whatever their length. It is checked through the limiter's own accounting against sizes measured
 * once, never by measuring the heap here, which is too noisy for a test.
 */
class LocalRateLimiterMemoryTest {
  private static final long BUDGET = 1 << 20;

  /**
   * Heap one entry took: the growth of the live heap over 200,000 such entries (20,000 logs) with
   * the cache near its budget, on JDK 25 without compressed references, where entries are largest
   * (with them, about 80 bytes less each).
   */
  private record Measured(String what, String keyValue, LimitState state, int bytes) {}

  private static final List<Measured> MEASURED =
      List.of(
          new Measured("longest one-part key, Latin-1", LongestKeys.onePart(0), gcra(), 751),
          new Measured(
              "a key as long in another script (UTF-16)",
              LongestKeys.onePartUtf16(0),
              gcra(),
              1_151),
          new Measured(
              "short key, the largest state", "sub=u1000", new TokenBucket.State(0, 0, 0, 0), 368),
          new Measured(
              "short key, 50 requests logged",
              "sub=u1000",
              new SlidingLog.State(new long[50]),
              722));

  private final TestClock clock = TestClock.aDayAhead();
  private final LimitDefinition perKey =
      LimitDefinition.of(
          new LimitId("shop", "orders", "per-key"), Algorithm.GCRA, 10, Duration.ofHours(1));

  private static Gcra.State gcra() {
    return new Gcra.State(0, 0, 0);
  }

  @Test
  void weighsEveryEntryAtLeastAtWhatItWasMeasuredToTake() {
    for (Measured measured : MEASURED) {
      assertThat(LocalRateLimiter.bytesOf(measured.keyValue(), measured.state()))
          .as(measured.what())
          .isGreaterThanOrEqualTo(measured.bytes());
    }
  }

  @Test
  void holdsNoMoreThanItsBudgetOfTheLongestKeysOneClientCanSend() {
    try (LocalRateLimiter limiter = new LocalRateLimiter(clock, BUDGET)) {
      for (int client = 0; client < 20_000; client++) {
        limiter.decideNow(LimitRequest.of(new LimitCheck(perKey, LongestKeys.onePart(client))));
      }

      long held = limiter.keyCount();
      assertThat(held * MEASURED.getFirst().bytes())
          .as("heap the %d keys held take, at their measured size", held)
          .isLessThanOrEqualTo(BUDGET);
      assertThat(held)
          .as("keys held: the budget is used, not left empty")
          .isGreaterThan(BUDGET / LocalRateLimiter.bytesOf(LongestKeys.onePart(0), gcra()) / 2);
    }
  }

  @Test
  void anActiveClientStaysExactWhileOneClientFloodsTheBudgetWithNewKeys() {
    LimitCheck alice = new LimitCheck(perKey, "header:x-api-key=alice");
    try (LocalRateLimiter limiter = new LocalRateLimiter(clock, BUDGET)) {
      for (int i = 0; i < 10; i++) {
        assertThat(limiter.decideNow(LimitRequest.of(alice)).allowed()).isTrue();
      }
      for (int client = 0; client < 20_000; client++) {
        limiter.decideNow(LimitRequest.of(new LimitCheck(perKey, LongestKeys.onePart(client))));
        if (client % 10 == 0) {
          assertThat(limiter.decideNow(LimitRequest.of(alice)).allowed())
              .as("alice's 11th request, after %d new keys", client)
              .isFalse();
        }
      }
    }
  }
}
