package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.Condition;
import dev.tollgate.api.common.ListType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The status both kinds share (Kubernetes conventions): the generation last reconciled and the
 * conditions. Each kind has its own subclass so the two can diverge without breaking clients.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ResourceStatus {
  @JsonPropertyDescription("metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @ListType(value = ListType.Kind.MAP, mapKeys = "type")
  @JsonPropertyDescription("Accepted and Programmed conditions.")
  private List<Condition> conditions = new ArrayList<>();

  protected ResourceStatus() {}

  protected ResourceStatus(long observedGeneration, List<Condition> conditions) {
    this.observedGeneration = observedGeneration;
    this.conditions = new ArrayList<>(conditions);
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
        && Objects.equals(conditions, ((ResourceStatus) o).conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions);
  }
}
