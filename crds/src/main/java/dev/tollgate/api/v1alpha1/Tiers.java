package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;
import java.util.Objects;

/**
 * Per-tier overrides of a limit: the value of JWT claim {@code claim} selects an entry of {@code
 * values}; requests whose value has no entry (or no claim) get the limit's own rate and burst.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Tiers {
  @Required
  @JsonPropertyDescription("JWT claim whose value selects the tier, e.g. plan.")
  @Size(min = 1, max = 128)
  private String claim;

  @Required
  @JsonPropertyDescription("Claim value -> {rate, burst} or {unlimited: true}.")
  @Size(min = 1, max = 32)
  private Map<String, Tier> values;

  public String getClaim() {
    return claim;
  }

  public void setClaim(String claim) {
    this.claim = claim;
  }

  public Map<String, Tier> getValues() {
    return values;
  }

  public void setValues(Map<String, Tier> values) {
    this.values = values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tiers other
        && Objects.equals(claim, other.claim)
        && Objects.equals(values, other.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(claim, values);
  }
}
