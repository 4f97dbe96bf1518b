package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.ListType;
import dev.tollgate.api.common.TargetRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** Desired state of a {@link RateLimitPolicy}: the Routes it applies to and its limits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateLimitPolicySpec {
  /** Whether exceeding a limit rejects the request. */
  public enum Enforcement {
    /** Over-limit requests get 429. */
    @JsonProperty("enforce")
    ENFORCE,
    /** Evaluate and report (metrics, headers) but never reject: for trying a new limit. */
    @JsonProperty("shadow")
    SHADOW
  }

  /** What the gateway does when Redis errors or exceeds its time budget. */
  public enum FailureMode {
    /** Let the request through (availability over enforcement). */
    @JsonProperty("open")
    OPEN,
    /** Answer 503. */
    @JsonProperty("closed")
    CLOSED,
    /** Enforce in-process, each gateway pod its share (limit / replicas). */
    @JsonProperty("local")
    LOCAL
  }

  @Required
  @JsonPropertyDescription(
      "What the policy attaches to in its namespace: Routes, HTTPRoutes (or one rule of one by"
          + " sectionName) and Gateways (every route attached to them); at most one entry per"
          + " kind and name. Where policies of several levels give a limit of the same name, the"
          + " most specific wins: an HTTPRoute rule over the HTTPRoute over its Gateway.")
  @Size(min = 1, max = 16)
  @ListType(
      value = ListType.Kind.MAP,
      mapKeys = {"kind", "name"})
  private List<TargetRef> targetRefs;

  @Default("enforce")
  @JsonPropertyDescription("enforce | shadow (default enforce).")
  private Enforcement enforcement = Enforcement.ENFORCE;

  @Default("open")
  @JsonPropertyDescription(
      "open | closed | local: behaviour while Redis is unavailable (default open).")
  private FailureMode failureMode = FailureMode.OPEN;

  @Required
  @JsonPropertyDescription(
      "Limits; a request is allowed only if all allow it, and then consumes from all.")
  @Size(min = 1, max = 16)
  @ListType(value = ListType.Kind.MAP, mapKeys = "name")
  private List<Limit> limits;

  public List<TargetRef> getTargetRefs() {
    return targetRefs;
  }

  public void setTargetRefs(List<TargetRef> targetRefs) {
    this.targetRefs = targetRefs;
  }

  public Enforcement getEnforcement() {
    return enforcement;
  }

  public void setEnforcement(Enforcement enforcement) {
    this.enforcement = enforcement;
  }

  public FailureMode getFailureMode() {
    return failureMode;
  }

  public void setFailureMode(FailureMode failureMode) {
    this.failureMode = failureMode;
  }

  public List<Limit> getLimits() {
    return limits;
  }

  public void setLimits(List<Limit> limits) {
    this.limits = limits;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RateLimitPolicySpec other
        && Objects.equals(targetRefs, other.targetRefs)
        && Objects.equals(enforcement, other.enforcement)
        && Objects.equals(failureMode, other.failureMode)
        && Objects.equals(limits, other.limits);
  }

  @Override
  public int hashCode() {
    return Objects.hash(targetRefs, enforcement, failureMode, limits);
  }
}
