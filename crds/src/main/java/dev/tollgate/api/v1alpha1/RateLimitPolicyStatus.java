package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.Condition;
import dev.tollgate.api.common.TargetRef;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Observed state of a {@link RateLimitPolicy}: conditions Accepted and Programmed, plus the
 * comma-joined target and limit names that {@code kubectl get ratelimitpolicies} shows (a printer
 * column shows only the first value of a JSON path, so {@code .spec.limits[*].name} would hide all
 * limits but one).
 */
public class RateLimitPolicyStatus extends ResourceStatus {
  @JsonPropertyDescription(
      "Display only: the targets, comma-separated (a Route by name, else Kind/name[#section]).")
  private String targets;

  @JsonPropertyDescription("Display only: names of the limits, comma-separated.")
  private String limits;

  public RateLimitPolicyStatus() {}

  public RateLimitPolicyStatus(long observedGeneration, List<Condition> conditions) {
    super(observedGeneration, conditions);
  }

  /** Fills the display fields from {@code spec} (call it whenever the status is built). */
  public RateLimitPolicyStatus withSummaryOf(RateLimitPolicySpec spec) {
    this.targets = join(spec.getTargetRefs(), TargetRef::displayName);
    this.limits = join(spec.getLimits(), Limit::getName);
    return this;
  }

  private static <T> String join(List<T> items, Function<T, String> name) {
    return items == null ? "" : items.stream().map(name).collect(Collectors.joining(","));
  }

  public String getTargets() {
    return targets;
  }

  public void setTargets(String targets) {
    this.targets = targets;
  }

  public String getLimits() {
    return limits;
  }

  public void setLimits(String limits) {
    this.limits = limits;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o)
        && Objects.equals(targets, ((RateLimitPolicyStatus) o).targets)
        && Objects.equals(limits, ((RateLimitPolicyStatus) o).limits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), targets, limits);
  }
}
