package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.CalendarWindow;
import dev.tollgate.limiter.CalendarWindow.Unit;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.LimiterUnavailableException.Reason;
import dev.tollgate.limiter.TestClock;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fixed-window quotas per calendar day, week and month in a time zone, on both engines: the window
 * resets at local midnight, so reset and retry-after count down to it across both DST changes of
 * Europe/Berlin and America/New_York, month ends and the leap day. In 2104, a leap year whose DST
 * dates follow today's rules (Berlin: 30 March and 26 October; New York: 9 March and 2 November).
 */
class CalendarWindowIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final Duration MICROSECOND = Duration.ofNanos(1_000);

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void berlinSpringForwardDayLasts23Hours(EngineKind engine) {
    try (ClientQuota quota = quota(engine, Unit.DAY, BERLIN, "2104-03-30T00:00:01", 3)) {
      Duration untilMidnight = Duration.ofHours(23).minusSeconds(1);
      quota.expect(3, true, 0, untilMidnight, Duration.ZERO);
      quota.expect(1, false, 0, untilMidnight, untilMidnight);
      quota.advance(untilMidnight.minus(MICROSECOND));
      quota.expect(1, false, 0, MICROSECOND, MICROSECOND);
      quota.advance(MICROSECOND);
      quota.expect(1, true, 2, Duration.ofHours(24), Duration.ZERO);
    }
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void berlinFallBackDayLasts25Hours(EngineKind engine) {
    try (ClientQuota quota = quota(engine, Unit.DAY, BERLIN, "2104-10-26T00:00", 3)) {
      quota.expect(3, true, 0, Duration.ofHours(25), Duration.ZERO);
      // 4.5 hours after midnight the clocks, set back at 03:00, show 03:30: 20.5 hours are left
      quota.advance(Duration.ofMinutes(270));
      quota.expect(1, false, 0, Duration.ofMinutes(1230), Duration.ofMinutes(1230));
      quota.advance(Duration.ofMinutes(1230));
      quota.expect(1, true, 2, Duration.ofHours(24), Duration.ZERO);
    }
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void newYorkDaysAcrossBothDstChanges(EngineKind engine) {
    try (ClientQuota spring = quota(engine, Unit.DAY, NEW_YORK, "2104-03-09T00:00", 1)) {
      spring.expect(1, true, 0, Duration.ofHours(23), Duration.ZERO);
      spring.advance(Duration.ofHours(23).minus(MICROSECOND));
      spring.expect(1, false, 0, MICROSECOND, MICROSECOND);
      spring.advance(MICROSECOND);
      spring.expect(1, true, 0, Duration.ofHours(24), Duration.ZERO);
    }
    try (ClientQuota fall = quota(engine, Unit.DAY, NEW_YORK, "2104-11-02T00:00", 1)) {
      fall.expect(1, true, 0, Duration.ofHours(25), Duration.ZERO);
      fall.advance(Duration.ofHours(24));
      fall.expect(1, false, 0, Duration.ofHours(1), Duration.ofHours(1));
      fall.advance(Duration.ofHours(1));
      fall.expect(1, true, 0, Duration.ofHours(24), Duration.ZERO);
    }
  }

  /** Jan 31 into February, and February 2104 has 29 days. */
  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void aMonthEndsOnTheFirstAndLeapFebruaryLasts29Days(EngineKind engine) {
    try (ClientQuota quota = quota(engine, Unit.MONTH, BERLIN, "2104-01-31T23:59:59", 10)) {
      quota.expect(10, true, 0, Duration.ofSeconds(1), Duration.ZERO);
      quota.expect(1, false, 0, Duration.ofSeconds(1), Duration.ofSeconds(1));
      quota.advance(Duration.ofSeconds(1));
      quota.expect(4, true, 6, Duration.ofDays(29), Duration.ZERO);
    }
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void theLeapDayIsADayOfItsOwn(EngineKind engine) {
    try (ClientQuota quota = quota(engine, Unit.DAY, NEW_YORK, "2104-02-29T12:00", 2)) {
      quota.expect(2, true, 0, Duration.ofHours(12), Duration.ZERO);
      quota.advance(Duration.ofHours(12));
      quota.expect(1, true, 1, Duration.ofHours(24), Duration.ZERO);
    }
  }

  /** Sunday 30 March 2104, 23:00 in Berlin: the week (shortened by DST) ends at midnight. */
  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void aWeekEndsOnMondayAtMidnight(EngineKind engine) {
    try (ClientQuota quota = quota(engine, Unit.WEEK, BERLIN, "2104-03-30T23:00", 5)) {
      quota.expect(5, true, 0, Duration.ofHours(1), Duration.ZERO);
      quota.advance(Duration.ofHours(1));
      quota.expect(5, true, 0, Duration.ofDays(7), Duration.ZERO);
    }
  }

  /**
   * A quota of ten million a month, the figures the gateway's headers show: remaining and the
   * countdown to the 1st at midnight.
   */
  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void tenMillionAMonth(EngineKind engine) {
    try (ClientQuota quota = quota(engine, Unit.MONTH, NEW_YORK, "2104-11-30T18:00", 10_000_000)) {
      quota.expect(9_999_999, true, 1, Duration.ofHours(6), Duration.ZERO);
      quota.expect(2, false, 1, Duration.ofHours(6), Duration.ofHours(6));
      quota.advance(Duration.ofHours(6));
      quota.expect(2, true, 9_999_998, Duration.ofDays(31), Duration.ZERO);
    }
  }

  /**
   * Redis' TIME decides which window a request falls in, not the gateway's clock: a gateway 20 us
   * behind still counts the request in the new day, and its key expires at the new day's end.
   */
  @Test
  void theWindowIsTheOneContainingRedisTime() {
    TestClock redis = at(BERLIN, "2104-10-27T00:00");
    redis.advanceMicros(10);
    TestClock gateway = at(BERLIN, "2104-10-26T23:59:59.99999");
    LimitDefinition limit = definition(Unit.DAY, BERLIN, 1);
    try (ClientQuota quota =
        new ClientQuota(FixedClockEngines.redis(REDIS.uri(), redis, gateway), redis, limit)) {
      Duration rest = Duration.ofHours(24).minus(MICROSECOND.multipliedBy(10));
      quota.expect(1, true, 0, rest, Duration.ZERO);
      assertThat(quota.redisExpiryMicros(REDIS.server()))
          .isEqualTo(at(BERLIN, "2104-10-28T00:00").micros());
    }
  }

  /** A gateway whose clock is more than a window off Redis' fails the decision (failure mode). */
  @Test
  void aClockMoreThanAWindowOffFailsTheDecision() {
    TestClock redis = at(BERLIN, "2104-10-28T00:00:01");
    TestClock gateway = at(BERLIN, "2104-10-26T12:00");
    LimitDefinition limit = definition(Unit.DAY, BERLIN, 1);
    try (ClientQuota quota =
        new ClientQuota(FixedClockEngines.redis(REDIS.uri(), redis, gateway), redis, limit)) {
      assertThatThrownBy(() -> quota.decide(1))
          .isInstanceOf(CompletionException.class)
          .cause()
          .isInstanceOfSatisfying(
              LimiterUnavailableException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.REDIS_ERROR))
          .hasMessageContaining("outside the calendar windows");
    }
  }

  private static ClientQuota quota(
      EngineKind engine, Unit unit, ZoneId zone, String localStart, long requests) {
    TestClock clock = at(zone, localStart);
    return new ClientQuota(
        engine.open(REDIS.uri(), clock), clock, definition(unit, zone, requests));
  }

  private static LimitDefinition definition(Unit unit, ZoneId zone, long requests) {
    return new LimitDefinition(
        new LimitId("shop", "quota", "calendar"),
        Algorithm.FIXED_WINDOW,
        requests,
        new CalendarWindow(unit, zone),
        requests);
  }

  private static TestClock at(ZoneId zone, String localTime) {
    LocalDateTime local = LocalDateTime.parse(localTime);
    return new TestClock(local.atZone(zone).toEpochSecond() * 1_000_000 + local.getNano() / 1_000);
  }
}
