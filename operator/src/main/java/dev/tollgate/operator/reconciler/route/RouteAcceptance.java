package dev.tollgate.operator.reconciler.route;

import dev.tollgate.api.common.ConditionReason;
import dev.tollgate.api.common.ConditionType;
import dev.tollgate.api.v1alpha1.RouteSpec;
import dev.tollgate.operator.snapshot.EndpointResolution;
import dev.tollgate.operator.snapshot.SpecCheck;
import dev.tollgate.operator.status.DesiredCondition;

/**
 * The Route's {@code Accepted} decision from plain data: its spec and how its backend resolved. A
 * Route whose Service is missing or has no ready endpoint is not accepted (the user must act), but
 * stays in the snapshot so gateways answer 503 rather than 404.
 */
public final class RouteAcceptance {
  private RouteAcceptance() {}

  public static DesiredCondition accepted(RouteSpec spec, EndpointResolution resolution) {
    var problem = SpecCheck.routeProblem(spec);
    if (problem.isPresent()) {
      return DesiredCondition.isFalse(
          ConditionType.ACCEPTED, ConditionReason.INVALID, problem.get());
    }
    String reason =
        switch (resolution.outcome()) {
          case RESOLVED -> ConditionReason.ACCEPTED;
          case SERVICE_NOT_FOUND, PORT_NOT_FOUND -> ConditionReason.SERVICE_NOT_FOUND;
          case NO_READY_ENDPOINTS -> ConditionReason.NO_READY_ENDPOINTS;
        };
    return resolution.outcome() == EndpointResolution.Outcome.RESOLVED
        ? DesiredCondition.isTrue(ConditionType.ACCEPTED, reason, resolution.detail())
        : DesiredCondition.isFalse(ConditionType.ACCEPTED, reason, resolution.detail());
  }

  /**
   * Whether the snapshot carries this Route (only specs failing {@link SpecCheck} are left out).
   */
  public static boolean inSnapshot(RouteSpec spec) {
    return SpecCheck.routeProblem(spec).isEmpty();
  }
}
