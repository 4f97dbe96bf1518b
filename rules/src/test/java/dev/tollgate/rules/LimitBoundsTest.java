package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.Patterns;
import dev.tollgate.api.v1alpha1.Limit;
import dev.tollgate.api.v1alpha1.LimitWindow;
import dev.tollgate.rules.LimitBounds.Shape;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The engine's bounds at their edges: the last value that runs and the first that does not. */
class LimitBoundsTest {
  private static final Duration DAYS_366 = Duration.ofDays(366);

  @Test
  void aBillionRequestsPer366DaysOrPerMillisecondRun() {
    for (Shape shape : new Shape[] {Shape.BUCKET, Shape.WINDOW}) {
      assertThat(LimitBounds.firstProblem(shape, 1_000_000_000, DAYS_366, 1_000_000_000)).isEmpty();
      assertThat(
              LimitBounds.firstProblem(shape, 1_000_000_000, Duration.ofMillis(1), 1_000_000_000))
          .isEmpty();
    }
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 1_000_000_001, DAYS_366, 1))
        .hasValue("rate.requests: must be between 1 and 1000000000, was 1000000001");
    assertThat(LimitBounds.firstProblem(Shape.BUCKET, 1_000_000_000, DAYS_366, 1_000_000_001))
        .hasValue("burst: must be between 1 and 1000000000, was 1000000001");
    // the daily quota of 200,000 that froze every team's config before
    assertThat(LimitBounds.firstProblem(Shape.BUCKET, 200_000, Duration.ofDays(1), 200_000))
        .isEmpty();
  }

  @Test
  void periodsFromOneMillisecondTo366Days() {
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 1, Duration.ofMillis(1), 1)).isEmpty();
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 1, DAYS_366, 1)).isEmpty();
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 1, DAYS_366.plusMillis(1), 1))
        .hasValue("rate.period: must be between 1ms and 366 days (8784h), was 31622400001ms");
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 1, Duration.ofNanos(999_999), 1))
        .hasValue("rate.period: must be between 1ms and 366 days (8784h), was PT0.000999999S");
  }

  /** burst x period <= requests x 366 days, exactly: one unit more is refused. */
  @Test
  void aBucketRefillsItsBurstWithin366Days() {
    // 2 per 183 days refill a burst of 4 in exactly 366 days
    assertThat(LimitBounds.firstProblem(Shape.BUCKET, 2, Duration.ofDays(183), 4)).isEmpty();
    assertThat(LimitBounds.firstProblem(Shape.BUCKET, 2, Duration.ofDays(183), 5))
        .hasValue(
            "burst: must refill within 366 days (burst x rate.period <= rate.requests x 8784h),"
                + " was 5 with 2 per 4392h: at most 4");
    // products of 3.2e22, exactly: 999,999,995 per 31,622,399,841,888 us refill a billion in
    // exactly 366 days, a microsecond longer does not
    Duration period = Duration.ofNanos(31_622_399_841_888_000L);
    assertThat(LimitBounds.firstProblem(Shape.BUCKET, 999_999_995, period, 1_000_000_000))
        .isEmpty();
    assertThat(
            LimitBounds.firstProblem(
                Shape.BUCKET, 999_999_995, period.plusNanos(1_000), 1_000_000_000))
        .hasValueSatisfying(p -> assertThat(p).startsWith("burst: must refill within 366 days"));
    // window algorithms ignore burst
    assertThat(LimitBounds.firstProblem(Shape.WINDOW, 1, DAYS_366, 9)).isEmpty();
    assertThat(LimitBounds.largestRefillableBurst(1, Duration.ofMillis(1)))
        .isEqualTo(31_622_400_000L);
    // 3.2e19 does not fit a long; any burst does
    assertThat(LimitBounds.largestRefillableBurst(1_000_000_000, Duration.ofMillis(1)))
        .isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aSlidingLogStoresAtMostOneHundredThousandEntries() {
    assertThat(LimitBounds.firstProblem(Shape.LOG, 100_000, DAYS_366, 1)).isEmpty();
    assertThat(LimitBounds.firstProblem(Shape.LOG, 100_001, Duration.ofSeconds(1), 1))
        .hasValueSatisfying(p -> assertThat(p).startsWith("rate.requests: must not exceed"));
  }

  @Test
  void calendarWindowsAreForFixedWindowInAKnownZone() {
    assertThat(
            LimitBounds.firstCalendarProblem(
                Limit.Algorithm.FIXED_WINDOW,
                1_000_000_000,
                1,
                LimitWindow.Calendar.MONTH,
                "America/New_York"))
        .isEmpty();
    assertThat(
            LimitBounds.firstCalendarProblem(
                Limit.Algorithm.GCRA, 10, 10, LimitWindow.Calendar.DAY, "UTC"))
        .hasValue("window: a calendar window needs algorithm fixed-window, not gcra");
    assertThat(
            LimitBounds.firstCalendarProblem(
                Limit.Algorithm.FIXED_WINDOW, 10, 10, LimitWindow.Calendar.DAY, "Europe/Berln"))
        .hasValue(
            "window.timeZone: 'Europe/Berln' is not a time zone of the tz database (e.g."
                + " Europe/Berlin, America/New_York, UTC); fixed offsets such as +01:00 have no"
                + " calendar of their own");
    assertThat(LimitBounds.timeZoneProblem("+01:00")).isPresent();
    assertThat(LimitBounds.timeZoneProblem(null)).hasValue("required, e.g. Europe/Berlin or UTC");
  }

  /** The CRD's pattern lets every zone the rulebook knows through; the rulebook judges the rest. */
  @Test
  void everyZoneOfTheTzDatabaseMatchesTheCrdPattern() {
    assertThat(ZoneId.getAvailableZoneIds())
        .hasSizeGreaterThan(500)
        .allMatch(zone -> zone.matches(Patterns.TIME_ZONE));
    assertThat("+01:00").doesNotMatch(Patterns.TIME_ZONE);
  }

  @Test
  void capacityIsTheBurstOfABucketAndTheRateOfAWindow() {
    assertThat(LimitBounds.capacity(Shape.BUCKET, 5, 9)).isEqualTo(9);
    assertThat(LimitBounds.capacity(Shape.WINDOW, 5, 9)).isEqualTo(5);
    assertThat(LimitBounds.capacity(Shape.LOG, 5, 9)).isEqualTo(5);
  }
}
