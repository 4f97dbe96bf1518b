package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.Condition;
import dev.tollgate.api.common.ConditionStatus;
import dev.tollgate.api.common.ListType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The status both kinds share (Kubernetes conventions): the generation last reconciled and the
 * conditions. Each kind has its own subclass so the two can diverge without breaking clients.
 *
 * <p>{@code reason} and {@code message} repeat, for the printer columns of {@code kubectl get}, the
 * condition a user should read first: the first one that is not {@code True} ({@code Accepted}
 * before {@code Programmed}), else the last one ({@code Programmed}: {@code config v42 applied by
 * 3/3 gateways}). A printer column cannot pick "the first condition that is not True" by itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ResourceStatus {
  @JsonPropertyDescription("metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @ListType(value = ListType.Kind.MAP, mapKeys = "type")
  @JsonPropertyDescription("Accepted and Programmed conditions.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "Display only: the reason of the first condition that is not True, else of the last one.")
  private String reason;

  @JsonPropertyDescription(
      "Display only: the message of the first condition that is not True, else of the last one.")
  private String message;

  protected ResourceStatus() {}

  protected ResourceStatus(long observedGeneration, List<Condition> conditions) {
    this.observedGeneration = observedGeneration;
    this.conditions = new ArrayList<>(conditions);
    Optional<Condition> first =
        conditions.stream()
            .filter(c -> !ConditionStatus.TRUE.equals(c.getStatus()))
            .findFirst()
            .or(() -> conditions.isEmpty() ? Optional.empty() : Optional.of(conditions.getLast()));
    this.reason = first.map(Condition::getReason).orElse(null);
    this.message = first.map(Condition::getMessage).orElse(null);
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  /** The condition of the given type, if present. */
  public Optional<Condition> condition(String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  @Override
  public boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && Objects.equals(observedGeneration, ((ResourceStatus) o).observedGeneration)
        && Objects.equals(conditions, ((ResourceStatus) o).conditions)
        && Objects.equals(reason, ((ResourceStatus) o).reason)
        && Objects.equals(message, ((ResourceStatus) o).message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, reason, message);
  }
}
