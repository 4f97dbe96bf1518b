package dev.tollgate.gateway.config;

import java.util.List;

/**
 * A configuration was refused. Each problem names where it is (file and document for the directory
 * source, {@code Route namespace/name} and the field path) and what is wrong, e.g. {@code
 * routes.yaml (document 2) Route shop/orders: spec.match: exactly one of path, pathPrefix or
 * pathRegex must be set}.
 */
public final class ConfigValidationException extends Exception {
  private final List<String> problems;

  public ConfigValidationException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigValidationException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
