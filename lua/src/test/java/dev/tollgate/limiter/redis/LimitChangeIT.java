package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitOutcome;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.limiter.TestClock;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Editing a limit's numbers (a GitOps change) keeps its state, as docs/limiter.md documents per
 * algorithm. Every case: 8 of 10 per minute used, then one request under the new numbers.
 */
class LimitChangeIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final LimitId ID = new LimitId("shop", "orders", "per-user");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  /** algorithm, lowered: allowed + remaining, raised: allowed + remaining */
  static Stream<Arguments> cases() {
    return Arrays.stream(EngineKind.values())
        .flatMap(
            engine ->
                Stream.of(
                    // 2 tokens left, clamped to the new burst of 1: admitted, none left.
                    // Raised: the 2 tokens carry over (no refill to the new burst).
                    Arguments.of(engine, Algorithm.TOKEN_BUCKET, true, 0, true, 1),
                    // TAT 48 s ahead; new tolerance 1 x 15 s: rejected at once.
                    // Raised (T = 3 s, tolerance 60 s): 51 s <= 60 s, 3 left.
                    Arguments.of(engine, Algorithm.GCRA, false, 0, true, 3),
                    // Counted 8 > 4: rejected until the window ends. Raised: 20 - 9 = 11 left.
                    Arguments.of(engine, Algorithm.FIXED_WINDOW, false, 0, true, 11),
                    Arguments.of(engine, Algorithm.SLIDING_WINDOW, false, 0, true, 11),
                    Arguments.of(engine, Algorithm.SLIDING_LOG, false, 0, true, 11)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void editedNumbersKeepTheStateAsDocumented(
      EngineKind engine,
      Algorithm algorithm,
      boolean loweredAllowed,
      long loweredRemaining,
      boolean raisedAllowed,
      long raisedRemaining) {
    LimitDefinition original = new LimitDefinition(ID, algorithm, 10, MINUTE, 10);
    LimitDefinition lowered = new LimitDefinition(ID, algorithm, 4, MINUTE, 1);
    LimitDefinition raised = new LimitDefinition(ID, algorithm, 20, MINUTE, 20);

    LimitOutcome afterLowering = afterEightOf(engine, algorithm, original, lowered);
    LimitOutcome afterRaising = afterEightOf(engine, algorithm, original, raised);

    assertThat(afterLowering.allowed()).isEqualTo(loweredAllowed);
    assertThat(afterLowering.remaining()).isEqualTo(loweredRemaining);
    assertThat(afterRaising.allowed()).isEqualTo(raisedAllowed);
    assertThat(afterRaising.remaining()).isEqualTo(raisedRemaining);
  }

  /** A fixed window whose period changes keeps its end; the new period starts with the next one. */
  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void fixedWindowKeepsTheRunningWindowWhenThePeriodChanges(EngineKind engine) {
    LimitDefinition perMinute = LimitDefinition.of(ID, Algorithm.FIXED_WINDOW, 10, MINUTE);
    LimitDefinition perHour =
        LimitDefinition.of(ID, Algorithm.FIXED_WINDOW, 10, Duration.ofHours(1));
    TestClock clock = new TestClock(TestClock.aDayAhead().micros() + 20_000_000);
    try (RateLimiter limiter = engine.open(REDIS.uri(), clock)) {
      decide(limiter, perMinute);
      LimitOutcome edited = decide(limiter, perHour);

      assertThat(edited.remaining()).isEqualTo(8);
      assertThat(edited.reset()).isEqualTo(Duration.ofSeconds(40));
    }
  }

  private static LimitOutcome afterEightOf(
      EngineKind engine, Algorithm algorithm, LimitDefinition original, LimitDefinition edited) {
    REDIS.server().cli("FLUSHALL");
    TestClock clock = TestClock.aDayAhead();
    try (RateLimiter limiter = engine.open(REDIS.uri(), clock)) {
      for (int i = 0; i < 8; i++) {
        assertThat(decide(limiter, original).allowed()).as("%s request %d", algorithm, i).isTrue();
      }
      return decide(limiter, edited);
    }
  }

  private static LimitOutcome decide(RateLimiter limiter, LimitDefinition limit) {
    return limiter
        .decide(LimitRequest.of(new LimitCheck(limit, "sub=alice")))
        .toCompletableFuture()
        .join()
        .outcomes()
        .getFirst();
  }
}
