package dev.tollgate.operator.gatewayapi;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How many HTTPRoutes attach to each listener of each Gateway ({@code status.listeners[].
 * attachedRoutes}), counted from the resolutions: a route counts once for each listener it is
 * attached to, however many of its parentRefs reach it (the resolver names none for a parent that
 * does not accept it).
 */
final class AttachedRoutes {
  private final Map<String, Map<String, Integer>> byGateway;

  private AttachedRoutes(Map<String, Map<String, Integer>> byGateway) {
    this.byGateway = byGateway;
  }

  /** A listener by its Gateway's {@code namespace/name} and its own name. */
  private record ListenerOf(String gateway, String listener) {}

  static AttachedRoutes count(Collection<HttpRouteResolver.Resolution> resolutions) {
    Map<String, Map<String, Integer>> attached = new HashMap<>();
    for (HttpRouteResolver.Resolution resolution : resolutions) {
      // a route whose parentRefs reach one listener twice is still one route on it
      Set<ListenerOf> listeners = new HashSet<>();
      for (HttpRouteResolver.Parent parent : resolution.parents()) {
        parent.listeners().forEach(l -> listeners.add(new ListenerOf(parent.gateway(), l)));
      }
      listeners.forEach(
          l ->
              attached
                  .computeIfAbsent(l.gateway(), g -> new HashMap<>())
                  .merge(l.listener(), 1, Integer::sum));
    }
    return new AttachedRoutes(attached);
  }

  /** By listener name; a listener without routes is absent. */
  Map<String, Integer> of(Gateway gateway) {
    String key = gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
    return byGateway.getOrDefault(key, Map.of());
  }
}
