package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * The limit for one tier: either {@code unlimited: true} (never limited, never counted) or a {@code
 * rate} with an optional {@code burst} (default = rate.requests).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "has(self.unlimited) && self.unlimited ? !has(self.rate) && !has(self.burst) :"
            + " has(self.rate)",
    message = "a tier sets either unlimited: true or a rate (with an optional burst)")
public class Tier {
  @JsonPropertyDescription("Rate of this tier; required unless unlimited is true.")
  private Rate rate;

  @JsonPropertyDescription("Burst of this tier; default = rate.requests.")
  @Min(1)
  @Max(Rate.MAX_REQUESTS)
  private Integer burst;

  @JsonPropertyDescription("true: requests of this tier are not limited by this limit.")
  private Boolean unlimited;

  public Rate getRate() {
    return rate;
  }

  public void setRate(Rate rate) {
    this.rate = rate;
  }

  public Integer getBurst() {
    return burst;
  }

  public void setBurst(Integer burst) {
    this.burst = burst;
  }

  public Boolean getUnlimited() {
    return unlimited;
  }

  public void setUnlimited(Boolean unlimited) {
    this.unlimited = unlimited;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tier other
        && Objects.equals(rate, other.rate)
        && Objects.equals(burst, other.burst)
        && Objects.equals(unlimited, other.unlimited);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rate, burst, unlimited);
  }
}
