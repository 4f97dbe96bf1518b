package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.CalendarWindow.Boundaries;
import dev.tollgate.limiter.CalendarWindow.Unit;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * Calendar windows from the JDK's tz data, in 2104 (a leap year whose DST dates follow today's
 * rules: Europe/Berlin changes on the last Sundays of March and October, America/New_York on the
 * second Sunday of March and the first of November).
 */
class CalendarWindowTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @Test
  void daysAcrossDstChangesLast23And25Hours() {
    assertThat(dayLength(BERLIN, "2104-03-30T12:00")).isEqualTo(Duration.ofHours(23));
    assertThat(dayLength(BERLIN, "2104-10-26T12:00")).isEqualTo(Duration.ofHours(25));
    assertThat(dayLength(BERLIN, "2104-10-27T12:00")).isEqualTo(Duration.ofHours(24));
    assertThat(dayLength(NEW_YORK, "2104-03-09T12:00")).isEqualTo(Duration.ofHours(23));
    assertThat(dayLength(NEW_YORK, "2104-11-02T12:00")).isEqualTo(Duration.ofHours(25));
  }

  @Test
  void aDayStartsAndEndsAtLocalMidnight() {
    Boundaries day = window(Unit.DAY, BERLIN, "2104-03-30T23:59:59");

    assertThat(day.start()).isEqualTo(micros(BERLIN, "2104-03-30T00:00"));
    assertThat(day.end()).isEqualTo(micros(BERLIN, "2104-03-31T00:00"));
    assertThat(day.previousStart()).isEqualTo(micros(BERLIN, "2104-03-29T00:00"));
    assertThat(day.nextEnd()).isEqualTo(micros(BERLIN, "2104-04-01T00:00"));
  }

  /** America/Santiago moves from 00:00 to 01:00 on 2104-09-07: that day starts at 01:00. */
  @Test
  void aDayWithoutMidnightStartsAtItsFirstInstant() {
    ZoneId santiago = ZoneId.of("America/Santiago");
    Boundaries day = window(Unit.DAY, santiago, "2104-09-07T12:00");

    assertThat(day.start()).isEqualTo(micros(santiago, "2104-09-07T01:00"));
    assertThat(Duration.ofNanos((day.end() - day.start()) * 1_000)).isEqualTo(Duration.ofHours(23));
  }

  @Test
  void aWeekRunsFromMondayToMonday() {
    // Sunday 2104-03-30, the day Berlin springs forward, ends the week of Monday 2104-03-24
    Boundaries week = window(Unit.WEEK, BERLIN, "2104-03-30T23:00");

    assertThat(week.start()).isEqualTo(micros(BERLIN, "2104-03-24T00:00"));
    assertThat(week.end()).isEqualTo(micros(BERLIN, "2104-03-31T00:00"));
    assertThat(Duration.ofNanos((week.end() - week.start()) * 1_000))
        .isEqualTo(Duration.ofDays(7).minusHours(1));
    assertThat(window(Unit.WEEK, BERLIN, "2104-03-31T00:00").start())
        .isEqualTo(micros(BERLIN, "2104-03-31T00:00"));
  }

  @Test
  void aMonthRunsFromTheFirstToTheFirst() {
    Boundaries january = window(Unit.MONTH, BERLIN, "2104-01-31T23:59:59");
    assertThat(january.end()).isEqualTo(micros(BERLIN, "2104-02-01T00:00"));

    // 2104 is a leap year: February has 29 days
    Boundaries february = window(Unit.MONTH, BERLIN, "2104-02-29T12:00");
    assertThat(february.start()).isEqualTo(micros(BERLIN, "2104-02-01T00:00"));
    assertThat(Duration.ofNanos((february.end() - february.start()) * 1_000))
        .isEqualTo(Duration.ofDays(29));
    // March loses the hour of the DST change
    assertThat(
            new CalendarWindow(Unit.MONTH, BERLIN)
                .lengthMicrosAt(micros(BERLIN, "2104-03-15T00:00")))
        .isEqualTo(Duration.ofDays(31).minusHours(1).toNanos() / 1_000);
  }

  @Test
  void answersFromItsCacheAndRecomputesForAnotherWindow() {
    CalendarWindow day = new CalendarWindow(Unit.DAY, NEW_YORK);
    Boundaries first = day.around(micros(NEW_YORK, "2104-11-02T01:30"));

    assertThat(day.around(micros(NEW_YORK, "2104-11-02T23:59"))).isSameAs(first);
    assertThat(day.around(micros(NEW_YORK, "2104-11-03T00:00")).start()).isEqualTo(first.end());
    assertThat(day.around(micros(NEW_YORK, "2104-11-01T23:59")).end()).isEqualTo(first.start());
  }

  @Test
  void parsesThePolicyFieldsNamingWhatIsWrong() {
    assertThat(CalendarWindow.of("week", "UTC"))
        .isEqualTo(new CalendarWindow(Unit.WEEK, ZoneId.of("UTC")));
    assertThatThrownBy(() -> CalendarWindow.of("year", "UTC"))
        .hasMessage("calendar: 'year' is not one of day | week | month");
    assertThatThrownBy(() -> CalendarWindow.of("day", "Europe/Berln"))
        .hasMessage(
            "timeZone: 'Europe/Berln' is not a time zone of the tz database (e.g. Europe/Berlin,"
                + " America/New_York, UTC); fixed offsets such as +01:00 have no calendar of their"
                + " own");
    // a fixed offset has no calendar of its own (no DST, no region)
    assertThatThrownBy(() -> CalendarWindow.of("day", "+01:00"))
        .hasMessageStartingWith("timeZone: '+01:00' is not a time zone");
  }

  private static Duration dayLength(ZoneId zone, String localTime) {
    Boundaries day = window(Unit.DAY, zone, localTime);
    return Duration.ofNanos((day.end() - day.start()) * 1_000);
  }

  private static Boundaries window(Unit unit, ZoneId zone, String localTime) {
    return new CalendarWindow(unit, zone).around(micros(zone, localTime));
  }

  static long micros(ZoneId zone, String localTime) {
    return LocalDateTime.parse(localTime).atZone(zone).toEpochSecond() * 1_000_000;
  }
}
