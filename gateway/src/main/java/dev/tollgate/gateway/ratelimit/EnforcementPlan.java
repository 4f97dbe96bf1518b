package dev.tollgate.gateway.ratelimit;

import dev.tollgate.gateway.route.RouteId;
import java.util.List;
import java.util.Map;

/** The limits of every policy attached to each route, compiled with one configuration. */
public record EnforcementPlan(Map<RouteId, List<CompiledLimit>> limitsByRoute) {
  public EnforcementPlan {
    limitsByRoute = Map.copyOf(limitsByRoute);
  }

  /** In policy order, then limit order; empty when no policy targets the route. */
  public List<CompiledLimit> limitsOf(RouteId route) {
    return limitsByRoute.getOrDefault(route, List.of());
  }
}
