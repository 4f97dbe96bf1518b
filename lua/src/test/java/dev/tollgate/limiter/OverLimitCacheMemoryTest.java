package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The over-limit cache's memory bound. Key values come from clients, so the bound must hold
 * whatever their length. It is checked through what the cache answers against sizes measured once,
 * never by measuring the heap here, which is too noisy for a test.
 */
class OverLimitCacheMemoryTest {
  private static final long BUDGET = 1 << 20;
  private static final int CLIENTS = 20_000;
  private static final Duration HOUR = Duration.ofHours(1);

  /**
   * Heap one entry took: the growth of the live heap over 200,000 such entries with the cache near
   * its budget, on JDK 25 without compressed references, where entries are largest (with them,
   * about 90 bytes less each).
   */
  private record Measured(String what, String keyValue, int bytes) {}

  private static final List<Measured> MEASURED =
      List.of(
          new Measured("longest one-part key, Latin-1", LongestKeys.onePart(0), 882),
          new Measured(
              "a key as long in another script (UTF-16)", LongestKeys.onePartUtf16(0), 1_287),
          new Measured("short key", "sub=u10000", 488));

  private final LimitDefinition perKey =
      LimitDefinition.of(new LimitId("shop", "orders", "per-key"), Algorithm.GCRA, 10, HOUR);

  /**
   * Refuses every check for an hour, as Redis does a client over its limit, until told to admit:
   * then a refusal can only come from the cache.
   */
  private static final class Backend implements RateLimiter {
    private boolean admitting;

    @Override
    public CompletionStage<LimitDecision> decide(LimitRequest request) {
      return CompletableFuture.completedFuture(
          LimitDecision.of(
              request.checks().stream()
                  .map(
                      check ->
                          admitting
                              ? LimitOutcome.allowed(check, 10, 9, HOUR)
                              : LimitOutcome.limited(check, 10, 0, HOUR, HOUR))
                  .toList()));
    }

    @Override
    public void close() {}
  }

  private final Backend backend = new Backend();

  private boolean allowed(OverLimitCache cache, String keyValue) {
    return cache
        .decide(LimitRequest.of(new LimitCheck(perKey, keyValue)))
        .toCompletableFuture()
        .join()
        .allowed();
  }

  @Test
  void weighsEveryEntryAtLeastAtWhatItWasMeasuredToTake() {
    for (Measured measured : MEASURED) {
      assertThat(OverLimitCache.bytesOf(measured.keyValue()))
          .as(measured.what())
          .isGreaterThanOrEqualTo(measured.bytes());
    }
  }

  @Test
  void holdsNoMoreThanItsBudgetOfTheLongestKeysOneClientCanSend() {
    try (OverLimitCache cache = new OverLimitCache(backend, TestClock.aDayAhead(), BUDGET)) {
      for (int client = 0; client < CLIENTS; client++) {
        allowed(cache, LongestKeys.onePart(client));
      }
      backend.admitting = true;

      long held =
          IntStream.range(0, CLIENTS)
              .filter(client -> !allowed(cache, LongestKeys.onePart(client)))
              .count();
      assertThat(held * MEASURED.getFirst().bytes())
          .as("heap the %d keys held take, at their measured size", held)
          .isLessThanOrEqualTo(BUDGET);
      assertThat(held)
          .as("keys held: the budget is used, not left empty")
          .isGreaterThan(BUDGET / MEASURED.getFirst().bytes() / 2);
    }
  }

  @Test
  void aFloodingClientStaysAnsweredLocallyWhileNewKeysPassThroughTheBudget() {
    String flooder = "header:x-api-key=flooder";
    try (OverLimitCache cache = new OverLimitCache(backend, TestClock.aDayAhead(), BUDGET)) {
      allowed(cache, flooder);
      for (int client = 0; client < CLIENTS; client++) {
        allowed(cache, LongestKeys.onePart(client));
        backend.admitting = true;
        assertThat(allowed(cache, flooder))
            .as("the flooder's request after %d new keys, answered by the cache", client)
            .isFalse();
        backend.admitting = false;
      }
    }
  }
}
