package dev.tollgate.limiter;

import dev.tollgate.api.v1alpha1.LimitWindow;
import dev.tollgate.rules.LimitBounds;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A calendar day, week (from Monday) or month (from the 1st) in a time zone: the window starts at
 * local midnight, so a day across a DST change lasts 23 or 25 hours and a month 28 to 31 days (plus
 * or minus the hour of a DST change inside it). Where midnight does not exist on a day (a DST gap
 * at 00:00, as in some zones of South America), the window starts at the first instant of that day.
 *
 * <p>The zone rules are the JDK's tz data. The Lua script never sees a zone: the caller computes
 * the window boundaries around its own clock ({@link #around}) and passes them, and the script
 * picks the window containing Redis' {@code TIME} among them, so pods whose clocks differ from
 * Redis' by less than a window still agree on the window. Boundaries are cached per window, so
 * computing them costs a comparison except once per day, week or month.
 */
public final class CalendarWindow implements Window {
  /** How long a window lasts, named as in {@code spec.limits[].window.calendar}. */
  public enum Unit {
    DAY,
    WEEK,
    MONTH;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The same unit in the policy model, for the rulebook's calendar rule. */
    public LimitWindow.Calendar policyCalendar() {
      return LimitWindow.Calendar.valueOf(name());
    }

    public static Unit fromWireName(String name) {
      for (Unit unit : values()) {
        if (unit.wireName().equals(name)) {
          return unit;
        }
      }
      throw new IllegalArgumentException(
          "calendar: '"
              + name
              + "' is not one of "
              + Arrays.stream(values()).map(Unit::wireName).collect(Collectors.joining(" | ")));
    }

    LocalDate firstDayOf(LocalDate date) {
      return switch (this) {
        case DAY -> date;
        case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        case MONTH -> date.withDayOfMonth(1);
      };
    }

    LocalDate plus(LocalDate firstDay, long windows) {
      return switch (this) {
        case DAY -> firstDay.plusDays(windows);
        case WEEK -> firstDay.plusWeeks(windows);
        case MONTH -> firstDay.plusMonths(windows);
      };
    }
  }

  /**
   * The window containing some instant, with one window on either side, in microseconds since the
   * epoch: {@code previousStart < start <= instant < end < nextEnd}.
   */
  public record Boundaries(long previousStart, long start, long end, long nextEnd) {
    boolean contains(long micros) {
      return start <= micros && micros < end;
    }
  }

  private final Unit unit;
  private final ZoneId zone;
  // The last window asked for; immutable, so a racing reader sees one window or another, whole.
  private volatile Boundaries last;

  public CalendarWindow(Unit unit, ZoneId zone) {
    this.unit = Objects.requireNonNull(unit, "calendar: must be set");
    this.zone = Objects.requireNonNull(zone, "timeZone: must be set");
  }

  /**
   * Parses the policy's fields; the message names the field and value.
   *
   * @param timeZone a zone of this JDK's tz database ({@code Europe/Berlin}, {@code UTC}); fixed
   *     offsets such as {@code +01:00} are refused, since they are not calendars (the rulebook's
   *     rule)
   */
  public static CalendarWindow of(String calendar, String timeZone) {
    Unit unit = Unit.fromWireName(calendar);
    LimitBounds.timeZoneProblem(timeZone)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException("timeZone: " + problem);
            });
    return new CalendarWindow(unit, ZoneId.of(timeZone));
  }

  public Unit unit() {
    return unit;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The window containing {@code nowMicros} and its neighbours. */
  public Boundaries around(long nowMicros) {
    Boundaries known = last;
    if (known != null && known.contains(nowMicros)) {
      return known;
    }
    LocalDate today =
        Instant.ofEpochSecond(Math.floorDiv(nowMicros, 1_000_000)).atZone(zone).toLocalDate();
    LocalDate first = unit.firstDayOf(today);
    Boundaries computed =
        new Boundaries(
            startOf(unit.plus(first, -1)),
            startOf(first),
            startOf(unit.plus(first, 1)),
            startOf(unit.plus(first, 2)));
    last = computed;
    return computed;
  }

  @Override
  public long lengthMicrosAt(long nowMicros) {
    Boundaries window = around(nowMicros);
    return window.end() - window.start();
  }

  private long startOf(LocalDate day) {
    return day.atStartOfDay(zone).toEpochSecond() * 1_000_000;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CalendarWindow other && unit == other.unit && zone.equals(other.zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(unit, zone);
  }

  @Override
  public String toString() {
    return "calendar " + unit.wireName() + " in " + zone.getId();
  }
}
