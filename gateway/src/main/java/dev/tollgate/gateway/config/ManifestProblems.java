package dev.tollgate.gateway.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects what stops a directory from being read at all (not YAML, wrong kind or apiVersion, a
 * spec of the wrong shape), each under a prefix naming file and document.
 */
final class ManifestProblems {
  private final List<String> all;
  private final String prefix;

  ManifestProblems(List<String> all, String prefix) {
    this.all = all;
    this.prefix = prefix;
  }

  static ManifestProblems root() {
    return new ManifestProblems(new ArrayList<>(), "");
  }

  ManifestProblems under(String childPrefix) {
    return new ManifestProblems(all, prefix + childPrefix);
  }

  void add(String field, String message) {
    all.add(prefix + field + ": " + message);
  }

  boolean isEmpty() {
    return all.isEmpty();
  }

  void throwIfAny() throws ConfigValidationException {
    if (!all.isEmpty()) {
      throw new ConfigValidationException(all);
    }
  }
}
