package dev.tollgate.operator.gatewayapi;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How many HTTPRoutes attach to each listener of each Gateway ({@code status.listeners[].
 * attachedRoutes}), counted from the resolutions: a route counts once for each listener it is
 * attached to (the resolver names none for a parent that does not accept it).
 */
final class AttachedRoutes {
  private final Map<String, Map<String, Integer>> byGateway;

  private AttachedRoutes(Map<String, Map<String, Integer>> byGateway) {
    this.byGateway = byGateway;
  }

  static AttachedRoutes count(Collection<HttpRouteResolver.Resolution> resolutions) {
    Map<String, Map<String, Integer>> attached = new HashMap<>();
    resolutions.stream()
        .flatMap(r -> r.parents().stream())
        .forEach(
            p ->
                p.listeners()
                    .forEach(
                        l ->
                            attached
                                .computeIfAbsent(p.gateway(), g -> new HashMap<>())
                                .merge(l, 1, Integer::sum)));
    return new AttachedRoutes(attached);
  }

  /** By listener name; a listener without routes is absent. */
  Map<String, Integer> of(Gateway gateway) {
    String key = gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
    return byGateway.getOrDefault(key, Map.of());
  }
}
