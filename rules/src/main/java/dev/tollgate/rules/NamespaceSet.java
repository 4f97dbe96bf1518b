package dev.tollgate.rules;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A set of namespaces read from a setting: empty = none, {@code *} = all, else a comma-separated
 * list.
 */
public record NamespaceSet(boolean all, Set<String> names) {
  public static final NamespaceSet NONE = new NamespaceSet(false, Set.of());
  public static final NamespaceSet ALL = new NamespaceSet(true, Set.of());

  public NamespaceSet {
    names = Set.copyOf(names);
  }

  public static NamespaceSet parse(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    if (value.strip().equals("*")) {
      return ALL;
    }
    return new NamespaceSet(
        false,
        Arrays.stream(value.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()));
  }

  public boolean contains(String namespace) {
    return all || names.contains(namespace);
  }
}
