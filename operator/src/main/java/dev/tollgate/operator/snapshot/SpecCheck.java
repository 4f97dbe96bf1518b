package dev.tollgate.operator.snapshot;

import dev.tollgate.api.v1alpha1.RouteSpec;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks only Java can make, after the API server's schema and CEL rules passed. A spec failing
 * one is left out of the snapshot: gateways reject a snapshot that does not validate as a whole, so
 * one bad resource must not block everyone else's config.
 */
public final class SpecCheck {
  private SpecCheck() {}

  /** Why the route cannot be served, if anything: CEL accepts regexes Java cannot compile. */
  public static Optional<String> routeProblem(RouteSpec spec) {
    String regex = spec.getMatch() == null ? null : spec.getMatch().getPathRegex();
    if (regex == null) {
      return Optional.empty();
    }
    try {
      Pattern.compile(regex);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of("spec.match.pathRegex does not compile: " + e.getDescription());
    }
  }
}
