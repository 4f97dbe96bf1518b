package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.Patterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Path rewrite applied to a matched request before it is proxied. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteRewrite {
  @JsonPropertyDescription(
      "Replaces the matched pathPrefix, e.g. prefix /orders with replacePrefix / sends /orders/1"
          + " as /1. Only with match.pathPrefix.")
  @Required
  @Pattern(Patterns.PATH)
  @Size(max = 1024)
  private String replacePrefix;

  public String getReplacePrefix() {
    return replacePrefix;
  }

  public void setReplacePrefix(String replacePrefix) {
    this.replacePrefix = replacePrefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteRewrite other && Objects.equals(replacePrefix, other.replacePrefix);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(replacePrefix);
  }
}
