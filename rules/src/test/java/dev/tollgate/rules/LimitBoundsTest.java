package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.rules.LimitBounds.Shape;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The engine's bounds at their edges: the last value that runs and the first that does not. */
class LimitBoundsTest {
  private static final Duration DAY = Duration.ofDays(1);

  @Test
  void requestsTimesPeriodInMicrosecondsMayReachButNotPass2To53() {
    long exactPerDay = LimitBounds.EXACT_LIMIT / (DAY.toNanos() / 1_000);
    assertThat(exactPerDay).isEqualTo(104_249);

    assertThat(LimitBounds.firstProblem(Shape.WINDOW, exactPerDay, DAY, 1)).isEmpty();
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, exactPerDay + 1, DAY, 1)).isPresent();
  }

  @Test
  void aBucketsBurstCountsWhenItExceedsTheRate() {
    assertThat(LimitBounds.firstProblem(Shape.BUCKET, 10, DAY, 104_250))
        .hasValueSatisfying(p -> assertThat(p).startsWith("burst: 104250 requests per 24h"));
    // Window algorithms ignore burst.
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 10, DAY, 104_250)).isEmpty();
  }

  @Test
  void periodsFromOneMillisecondTo366Days() {
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 1, Duration.ofMillis(1), 1)).isEmpty();
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 1, Duration.ofDays(366), 1)).isEmpty();
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 1, Duration.ofDays(366).plusMillis(1), 1))
        .hasValue("rate.period: must be between 1ms and 366 days (8784h), was 31622400001ms");
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 1, Duration.ofNanos(999_999), 1))
        .hasValue("rate.period: must be between 1ms and 366 days (8784h), was PT0.000999999S");
  }

  @Test
  void aSlidingLogStoresAtMostOneHundredThousandEntries() {
    assertThat(LimitBounds.firstProblem(Shape.LOG, 100_000, Duration.ofSeconds(1), 1)).isEmpty();
    assertThat(LimitBounds.firstProblem(Shape.LOG, 100_001, Duration.ofSeconds(1), 1))
        .hasValueSatisfying(p -> assertThat(p).startsWith("rate.requests: must not exceed"));
  }

  @Test
  void capacityIsTheBurstOfABucketAndTheRateOfAWindow() {
    assertThat(LimitBounds.capacity(Shape.BUCKET, 5, 9)).isEqualTo(9);
    assertThat(LimitBounds.capacity(Shape.WINDOW, 5, 9)).isEqualTo(5);
    assertThat(LimitBounds.capacity(Shape.LOG, 5, 9)).isEqualTo(5);
  }
}
