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
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading a limit without charging it (the gateway's explain endpoint does this): a request that
 * costs more than the capacity is always rejected, consumes nothing, and reports remaining and
 * reset as they stand.
 */
class ReadWithoutChargeIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  static Stream<Arguments> engineAndAlgorithm() {
    return Arrays.stream(EngineKind.values())
        .flatMap(
            engine ->
                Arrays.stream(Algorithm.values())
                    .map(algorithm -> Arguments.of(engine, algorithm)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("engineAndAlgorithm")
  void aRequestCostingMoreThanTheCapacityReadsTheFiguresAndChargesNothing(
      EngineKind engine, Algorithm algorithm) {
    LimitCheck check =
        new LimitCheck(
            LimitDefinition.of(
                new LimitId("shop", "orders", "per-user"), algorithm, 10, Duration.ofMinutes(1)),
            "sub=alice");
    LimitRequest peek =
        LimitRequest.of(
            new LimitCheck(check.limit(), check.keyValue(), check.limit().capacity() + 1));
    LimitRequest absurd =
        LimitRequest.of(new LimitCheck(check.limit(), check.keyValue(), Long.MAX_VALUE));
    try (RateLimiter limiter = engine.open(REDIS.uri(), TestClock.aDayAhead())) {
      for (int i = 0; i < 3; i++) {
        decide(limiter, LimitRequest.of(check));
      }

      LimitOutcome first = decide(limiter, peek);
      LimitOutcome second = decide(limiter, peek);

      assertThat(first.allowed()).isFalse();
      assertThat(first.remaining()).isEqualTo(7);
      assertThat(first.reset()).isPositive();
      assertThat(second).isEqualTo(first);
      // No overflow of cost x period: a cost of 2^63 - 1 is refused like any other above capacity.
      assertThat(decide(limiter, absurd))
          .usingRecursiveComparison()
          .ignoringFields("check")
          .isEqualTo(first);
      assertThat(decide(limiter, LimitRequest.of(check)).remaining()).isEqualTo(6);
    }
  }

  private static LimitOutcome decide(RateLimiter limiter, LimitRequest request) {
    return limiter.decide(request).toCompletableFuture().join().outcomes().getFirst();
  }
}
