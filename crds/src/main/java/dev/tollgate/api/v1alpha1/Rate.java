package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.DurationStrings;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * A rate: {@code requests} per {@code period}, e.g. 100 per 1m; or {@code requests} alone, per the
 * calendar window of its {@link Limit}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = LimitRules.PERIOD_AT_MOST_366_DAYS,
    fieldPath = ".period",
    message = "period must not exceed 366 days (8784h)")
public class Rate {
  /** Upper bound of counts (requests, burst, cost): fits Redis integers and Java ints. */
  public static final int MAX_REQUESTS = 1_000_000_000;

  @Required
  @JsonPropertyDescription("Requests (cost units) allowed per period; at least 1.")
  @Min(1)
  @Max(MAX_REQUESTS)
  private Integer requests;

  @JsonPropertyDescription(
      "Period: a whole number and ms, s, m or h, e.g. 1s, 1m, 24h; at most 366 days (8784h)."
          + " Required unless the limit has a calendar window.")
  @Pattern(DurationStrings.PATTERN)
  @Size(max = 16)
  private String period;

  public Rate() {}

  public Rate(int requests, String period) {
    this.requests = requests;
    this.period = period;
  }

  public Integer getRequests() {
    return requests;
  }

  public void setRequests(Integer requests) {
    this.requests = requests;
  }

  public String getPeriod() {
    return period;
  }

  public void setPeriod(String period) {
    this.period = period;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rate other
        && Objects.equals(requests, other.requests)
        && Objects.equals(period, other.period);
  }

  @Override
  public int hashCode() {
    return Objects.hash(requests, period);
  }

  @Override
  public String toString() {
    return requests + "/" + period;
  }
}
