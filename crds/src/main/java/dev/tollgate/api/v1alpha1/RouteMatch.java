package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tollgate.api.common.ListType;
import dev.tollgate.api.common.Patterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/**
 * The request matcher of a {@link Route}: exactly one of {@code path} (exact), {@code pathPrefix}
 * (whole segments: {@code /orders} matches {@code /orders} and {@code /orders/1}, not {@code
 * /ordersx}) or {@code pathRegex} (whole normalized path), optionally restricted to methods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.path) ? 1 : 0) + (has(self.pathPrefix) ? 1 : 0) + (has(self.pathRegex) ? 1 : 0)"
            + " == 1",
    message = "exactly one of path, pathPrefix or pathRegex must be set")
public class RouteMatch {
  @JsonPropertyDescription("Exact path, e.g. /health.")
  @Pattern(Patterns.PATH)
  @Size(max = 1024)
  private String path;

  @JsonPropertyDescription(
      "Path prefix matched on segment boundaries, e.g. /orders matches /orders and /orders/1.")
  @Pattern(Patterns.PATH)
  @Size(max = 1024)
  private String pathPrefix;

  @JsonPropertyDescription(
      "RE2 regular expression (no backreferences or lookaround; matched in linear time) the whole normalized path must match.")
  @Size(min = 1, max = 256)
  private String pathRegex;

  @JsonPropertyDescription("HTTP methods this route matches; empty or absent = all methods.")
  @Size(max = 9)
  @ListType(ListType.Kind.SET)
  private List<HttpMethod> methods;

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getPathPrefix() {
    return pathPrefix;
  }

  public void setPathPrefix(String pathPrefix) {
    this.pathPrefix = pathPrefix;
  }

  public String getPathRegex() {
    return pathRegex;
  }

  public void setPathRegex(String pathRegex) {
    this.pathRegex = pathRegex;
  }

  public List<HttpMethod> getMethods() {
    return methods;
  }

  public void setMethods(List<HttpMethod> methods) {
    this.methods = methods;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteMatch other
        && Objects.equals(path, other.path)
        && Objects.equals(pathPrefix, other.pathPrefix)
        && Objects.equals(pathRegex, other.pathRegex)
        && Objects.equals(methods, other.methods);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, pathPrefix, pathRegex, methods);
  }
}
