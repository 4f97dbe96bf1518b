package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.Condition;
import java.util.List;
import java.util.Objects;

/**
 * Observed state of a {@link Route}: conditions Accepted and Programmed, and the RateLimitPolicies
 * that target it, comma-joined for {@code kubectl get routes} (a printer column shows only the
 * first value of a list).
 */
public class RouteStatus extends ResourceStatus {
  @JsonPropertyDescription(
      "Names of the RateLimitPolicies in this namespace that target this Route, comma-separated.")
  private String policies;

  public RouteStatus() {}

  public RouteStatus(long observedGeneration, List<Condition> conditions) {
    super(observedGeneration, conditions);
  }

  /** Sets the policies that target the Route (sorted names); returns this status. */
  public RouteStatus withPolicies(List<String> names) {
    this.policies = String.join(",", names);
    return this;
  }

  public String getPolicies() {
    return policies;
  }

  public void setPolicies(String policies) {
    this.policies = policies;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && Objects.equals(policies, ((RouteStatus) o).policies);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), policies);
  }
}
