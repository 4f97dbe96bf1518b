package dev.tollgate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * A reference from a policy to the resource it attaches to, in the same namespace (Gateway API
 * policy-attachment style). Only Routes can be targeted today.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetRef {
  /** Kinds a policy can attach to. */
  public enum Kind {
    @JsonProperty("Route")
    ROUTE
  }

  @Required
  @JsonPropertyDescription("Kind of the target; only Route is supported.")
  private Kind kind;

  @Required
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @Size(max = 253)
  @JsonPropertyDescription("Name of the target in the policy's namespace.")
  private String name;

  public TargetRef() {}

  public TargetRef(Kind kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public Kind getKind() {
    return kind;
  }

  public void setKind(Kind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TargetRef other
        && Objects.equals(kind, other.kind)
        && Objects.equals(name, other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name);
  }

  @Override
  public String toString() {
    return kind + "/" + name;
  }
}
