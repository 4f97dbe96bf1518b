package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.Patterns;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * A calendar window of a fixed-window {@link Limit}, in place of a rolling {@code rate.period}: the
 * quota resets at local midnight in {@code timeZone} every day, every Monday or on the 1st of every
 * month, so a DST day lasts 23 or 25 hours and a month 28 to 31 days.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.timeZone.matches('" + Patterns.TIME_ZONE + "')",
    fieldPath = ".timeZone",
    message =
        "timeZone must be a tz database name such as Europe/Berlin, America/New_York or UTC"
            + " (not an offset such as +01:00)")
public class LimitWindow {
  /** How long a window lasts. */
  public enum Calendar {
    /** From local midnight to the next. */
    @JsonProperty("day")
    DAY,
    /** From Monday 00:00 to the next Monday. */
    @JsonProperty("week")
    WEEK,
    /** From the 1st at 00:00 to the next 1st. */
    @JsonProperty("month")
    MONTH
  }

  @Required
  @JsonPropertyDescription("day | week (from Monday) | month (from the 1st), from local midnight.")
  private Calendar calendar;

  @Required
  @JsonPropertyDescription(
      "tz database zone the calendar is counted in, e.g. Europe/Berlin, America/New_York, UTC.")
  @Size(max = 64)
  private String timeZone;

  public LimitWindow() {}

  public LimitWindow(Calendar calendar, String timeZone) {
    this.calendar = calendar;
    this.timeZone = timeZone;
  }

  public Calendar getCalendar() {
    return calendar;
  }

  public void setCalendar(Calendar calendar) {
    this.calendar = calendar;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LimitWindow other
        && calendar == other.calendar
        && Objects.equals(timeZone, other.timeZone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(calendar, timeZone);
  }
}
