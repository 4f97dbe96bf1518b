package dev.tollgate.gateway.config;

import java.util.Map;

/**
 * Where each resource came from, so validation messages can name the file: {@code Route shop/a} →
 * {@code routes.yaml (document 2) Route shop/a}. Sources without files use {@link #NONE}.
 */
public record SourceLocations(Map<String, String> byResource) {
  public static final SourceLocations NONE = new SourceLocations(Map.of());

  public SourceLocations {
    byResource = Map.copyOf(byResource);
  }

  public static String key(String kind, String namespace, String name) {
    return kind + " " + namespace + "/" + name;
  }

  /** The message prefix for a resource, ending in {@code ": "}. */
  String prefix(String kind, String namespace, String name) {
    String key = key(kind, namespace, name);
    return byResource.getOrDefault(key, key) + ": ";
  }
}
