package dev.tollgate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * A reference from a policy to the resource it attaches to, in the same namespace (Gateway API
 * policy attachment, {@code LocalPolicyTargetReferenceWithSectionName}): a Route, an HTTPRoute (or
 * one of its rules by {@code sectionName}), or a Gateway (every route attached to it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.group) || (self.kind == 'Route' ? self.group == 'tollgate.dev'"
            + " : self.group == 'gateway.networking.k8s.io')",
    fieldPath = ".group",
    message =
        "group must be tollgate.dev for Route, gateway.networking.k8s.io for HTTPRoute and Gateway")
@ValidationRule(
    value = "!has(self.sectionName) || self.kind == 'HTTPRoute'",
    fieldPath = ".sectionName",
    message = "sectionName (an HTTPRoute rule name) is only for kind HTTPRoute")
public class TargetRef {
  /** The API group of Tollgate's kinds. */
  public static final String TOLLGATE_GROUP = "tollgate.dev";

  /** The API group of the Gateway API's kinds. */
  public static final String GATEWAY_API_GROUP = "gateway.networking.k8s.io";

  /** Kinds a policy can attach to, from least to most specific where they overlap. */
  public enum Kind {
    @JsonProperty("Gateway")
    GATEWAY,
    @JsonProperty("HTTPRoute")
    HTTP_ROUTE,
    @JsonProperty("Route")
    ROUTE
  }

  @Pattern("^(tollgate\\.dev|gateway\\.networking\\.k8s\\.io)$")
  @JsonPropertyDescription(
      "API group of the target: tollgate.dev (Route) or gateway.networking.k8s.io (HTTPRoute,"
          + " Gateway); absent = the kind's group.")
  private String group;

  @Required
  @JsonPropertyDescription("Kind of the target: Route, HTTPRoute or Gateway.")
  private Kind kind;

  @Required
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @Size(max = 253)
  @JsonPropertyDescription("Name of the target in the policy's namespace.")
  private String name;

  @Pattern(Patterns.DNS_SUBDOMAIN)
  @Size(max = 253)
  @JsonPropertyDescription(
      "HTTPRoute only: the name of one of its rules (rules[].name); absent = the whole route.")
  private String sectionName;

  public TargetRef() {}

  public TargetRef(Kind kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public TargetRef(Kind kind, String name, String sectionName) {
    this.kind = kind;
    this.name = name;
    this.sectionName = sectionName;
  }

  public String getGroup() {
    return group;
  }

  public void setGroup(String group) {
    this.group = group;
  }

  public String getSectionName() {
    return sectionName;
  }

  public void setSectionName(String sectionName) {
    this.sectionName = sectionName;
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
        && Objects.equals(group, other.group)
        && Objects.equals(kind, other.kind)
        && Objects.equals(name, other.name)
        && Objects.equals(sectionName, other.sectionName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(group, kind, name, sectionName);
  }

  /** How {@code kubectl get} shows it: a Route by its name, other kinds as {@link #toString()}. */
  public String displayName() {
    return kind == Kind.ROUTE && sectionName == null ? name : toString();
  }

  /** {@code Route/orders}, {@code HTTPRoute/web#checkout}, {@code Gateway/public}. */
  @Override
  public String toString() {
    String kindName =
        switch (kind) {
          case ROUTE -> "Route";
          case HTTP_ROUTE -> "HTTPRoute";
          case GATEWAY -> "Gateway";
        };
    return kindName + "/" + name + (sectionName == null ? "" : "#" + sectionName);
  }
}
