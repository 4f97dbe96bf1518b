package dev.tollgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Objects;

/**
 * The request matcher of a {@link Route}: exactly one of {@code path} (exact), {@code pathPrefix}
 * (whole segments: {@code /orders} matches {@code /orders} and {@code /orders/1}, not {@code
 * /ordersx}) or {@code pathRegex} (whole normalized path), optionally restricted to methods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RouteMatch {
  @JsonPropertyDescription("Exact path, e.g. /health.")
  private String path;

  @JsonPropertyDescription(
      "Path prefix matched on segment boundaries, e.g. /orders matches /orders and /orders/1.")
  private String pathPrefix;

  @JsonPropertyDescription("Java regular expression the whole normalized path must match.")
  private String pathRegex;

  @JsonPropertyDescription("HTTP methods this route matches; empty or absent = all methods.")
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
