package dev.tollgate.limiter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LocalRateLimiterTest {
  private static final long BUDGET = 1 << 20;

  private final TestClock clock = TestClock.aDayAhead();

  private static LimitCheck check(Algorithm algorithm, long requests, String keyValue) {
    return new LimitCheck(
        LimitDefinition.of(
            new LimitId("shop", "orders", "per-user"), algorithm, requests, Duration.ofMinutes(1)),
        keyValue);
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void admitsExactlyTheLimitFromManyThreads(Algorithm algorithm) throws Exception {
    LimitCheck check = check(algorithm, 100, "sub=alice");
    AtomicInteger admitted = new AtomicInteger();
    try (LocalRateLimiter limiter = new LocalRateLimiter(clock, BUDGET);
        ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> workers = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    if (limiter.decideNow(LimitRequest.of(check)).allowed()) {
                      admitted.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    }
    assertThat(admitted).hasValue(100);
  }

  @Test
  void rejectedRequestConsumesFromNoLimit() {
    LimitCheck ten = check(Algorithm.TOKEN_BUCKET, 10, "sub=alice");
    LimitCheck three =
        new LimitCheck(
            LimitDefinition.of(
                new LimitId("shop", "orders", "burst"),
                Algorithm.SLIDING_LOG,
                3,
                Duration.ofMinutes(1)),
            "sub=alice");
    try (LocalRateLimiter limiter = new LocalRateLimiter(clock, BUDGET)) {
      for (int i = 0; i < 3; i++) {
        limiter.decideNow(LimitRequest.of(ten, three));
      }
      LimitDecision rejected = limiter.decideNow(LimitRequest.of(ten, three));

      assertThat(rejected.allowed()).isFalse();
      assertThat(rejected.outcomes().getFirst().remaining()).isEqualTo(7);
      assertThat(limiter.decideNow(LimitRequest.of(ten)).outcomes().getFirst().remaining())
          .isEqualTo(6);
    }
  }

  @Test
  void forgetsIdleStateOnceItIsIrrelevant() {
    try (LocalRateLimiter limiter = new LocalRateLimiter(clock, BUDGET)) {
      for (int client = 0; client < 50; client++) {
        limiter.decideNow(LimitRequest.of(check(Algorithm.SLIDING_WINDOW, 10, "client-" + client)));
      }
      assertThat(limiter.keyCount()).isEqualTo(50);

      clock.advance(Duration.ofMinutes(2));

      assertThat(limiter.keyCount()).isZero();
    }
  }
}
