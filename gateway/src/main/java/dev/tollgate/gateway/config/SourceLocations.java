package dev.tollgate.gateway.config;

import dev.tollgate.rules.ResourceId;
import java.util.Map;

/**
 * Where each resource came from, so validation messages can name the file: {@code Route shop/a} →
 * {@code routes.yaml (document 2) Route shop/a}. Sources without files use {@link #NONE}.
 */
public record SourceLocations(Map<ResourceId, String> byResource) {
  public static final SourceLocations NONE = new SourceLocations(Map.of());

  public SourceLocations {
    byResource = Map.copyOf(byResource);
  }

  /** The resource's place in the source, or just {@code Route shop/a}. */
  public String of(ResourceId resource) {
    return byResource.getOrDefault(resource, resource.toString());
  }
}
