package dev.tollgate.gateway.config;

import java.util.ArrayList;
import java.util.List;

/** Collects validation problems of one object under a common prefix (e.g. {@code Route a/b: }). */
final class Problems {
  private final List<String> all;
  private final String prefix;

  Problems(List<String> all, String prefix) {
    this.all = all;
    this.prefix = prefix;
  }

  static Problems root() {
    return new Problems(new ArrayList<>(), "");
  }

  Problems under(String childPrefix) {
    return new Problems(all, prefix + childPrefix);
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
