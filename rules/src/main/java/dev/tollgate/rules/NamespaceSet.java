package dev.tollgate.rules;

import java.util.Set;

/**
 * A set of namespaces read from a setting: empty = none, a comma-separated list, all when the list
 * holds {@code *}.
 */
public record NamespaceSet(boolean all, Set<String> names) {
  public static final NamespaceSet NONE = new NamespaceSet(false, Set.of());
  public static final NamespaceSet ALL = new NamespaceSet(true, Set.of());

  public NamespaceSet {
    names = Set.copyOf(names);
  }

  public static NamespaceSet parse(String value) {
    Set<String> names = Tenancy.list(value);
    return names.contains("*") ? ALL : new NamespaceSet(false, names);
  }

  public boolean contains(String namespace) {
    return all || names.contains(namespace);
  }
}
