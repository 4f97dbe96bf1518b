package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.DurationStrings;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/**
 * Per-endpoint circuit breaker: when {@code failureRatio} percent of the last {@code volume} calls
 * to one endpoint failed, that endpoint gets no traffic for {@code delay}, then a trial call.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CircuitBreaker {
  @Default("50")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription(
      "Percentage (1-100) of failed calls that opens the breaker (default 50).")
  private Integer failureRatio = 50;

  @Default("20")
  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Number of recent calls the ratio is computed over (default 20).")
  private Integer volume = 20;

  @Default("10s")
  @Pattern(DurationStrings.PATTERN)
  @JsonPropertyDescription("How long an open breaker keeps the endpoint out (default 10s).")
  private String delay = "10s";

  public Integer getFailureRatio() {
    return failureRatio;
  }

  public void setFailureRatio(Integer failureRatio) {
    this.failureRatio = failureRatio;
  }

  public Integer getVolume() {
    return volume;
  }

  public void setVolume(Integer volume) {
    this.volume = volume;
  }

  public String getDelay() {
    return delay;
  }

  public void setDelay(String delay) {
    this.delay = delay;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CircuitBreaker other
        && Objects.equals(failureRatio, other.failureRatio)
        && Objects.equals(volume, other.volume)
        && Objects.equals(delay, other.delay);
  }

  @Override
  public int hashCode() {
    return Objects.hash(failureRatio, volume, delay);
  }
}
