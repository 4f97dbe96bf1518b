package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.config.GatewayApiSettings;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code status.parents[]} entries of an HTTPRoute for Tollgate's Gateways, from the route's
 * resolution: one entry per parentRef of ours with its {@code Accepted} and {@code ResolvedRefs}.
 * Entries of other controllers are kept as they are (several controllers share the list); ours that
 * no longer resolve are dropped.
 */
record HttpRouteStatusWriter(
    GatewayApiSettings settings, GatewayApiConditions conditions, StatusUpdates updates) {

  /**
   * Whether the route's status is ours to write: it has a parent of ours, or it had one (then our
   * stale entries go).
   */
  boolean concerns(HTTPRoute route, HttpRouteResolver.Resolution resolution) {
    return !resolution.parents().isEmpty() || hasOurParents(route);
  }

  void write(HTTPRoute route, HttpRouteResolver.Resolution resolution) {
    // what the resolution was computed from; the cached route may already be newer
    long generation = resolution.generation();
    List<RouteParentStatus> before =
        route.getStatus() == null || route.getStatus().getParents() == null
            ? List.of()
            : route.getStatus().getParents();
    List<RouteParentStatus> parents = new ArrayList<>();
    for (RouteParentStatus other : before) {
      if (!ours(other)) {
        parents.add(other);
      }
    }
    for (HttpRouteResolver.Parent parent : resolution.parents()) {
      List<Condition> previous =
          before.stream()
              .filter(this::ours)
              .filter(p -> Objects.equals(p.getParentRef(), parent.ref()))
              .findFirst()
              .map(RouteParentStatus::getConditions)
              .orElse(List.of());
      RouteParentStatus status = new RouteParentStatus();
      status.setControllerName(settings.controllerName());
      status.setParentRef(parent.ref());
      status.setConditions(
          conditions.merge(
              previous, generation, List.of(parent.accepted(), parent.resolvedRefs())));
      parents.add(status);
    }
    if (parents.equals(before)) {
      return;
    }
    HTTPRoute copy = updates.copy(route);
    HTTPRouteStatus status = new HTTPRouteStatus();
    status.setParents(parents);
    copy.setStatus(status);
    updates.update(copy);
  }

  private boolean hasOurParents(HTTPRoute route) {
    return route.getStatus() != null
        && route.getStatus().getParents() != null
        && route.getStatus().getParents().stream().anyMatch(this::ours);
  }

  private boolean ours(RouteParentStatus parent) {
    return settings.controllerName().equals(parent.getControllerName());
  }
}
