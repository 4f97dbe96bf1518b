package dev.tollgate.limiter;

/**
 * The time a limit counts {@code requests} in: a rolling {@link RollingWindow period} (every
 * algorithm), or a {@link CalendarWindow} that resets at local midnight in a time zone
 * (fixed-window only).
 */
public sealed interface Window permits RollingWindow, CalendarWindow {
  /**
   * Microseconds of the window in force at {@code nowMicros}: the period of a rolling window; the
   * length of the calendar day, week or month containing that instant (a DST day has 23 or 25
   * hours).
   */
  long lengthMicrosAt(long nowMicros);
}
