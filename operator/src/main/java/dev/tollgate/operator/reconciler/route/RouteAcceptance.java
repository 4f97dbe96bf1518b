package dev.tollgate.operator.reconciler.route;

import dev.tollgate.api.common.ConditionReason;
import dev.tollgate.api.common.ConditionType;
import dev.tollgate.operator.cluster.EndpointResolution;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.rules.Problem;
import java.util.List;

/**
 * The Route's {@code Accepted} decision from plain data: what the rulebook found and how its
 * backend resolved. A Route with problems is left out of the snapshot (its status names them); one
 * whose Service is missing or has no ready endpoint is not accepted either (the user must act), but
 * stays in the snapshot so gateways answer 503 rather than 404.
 */
public final class RouteAcceptance {
  private RouteAcceptance() {}

  /**
   * @param problems the rulebook's verdict on the route as it would be served
   */
  public static DesiredCondition accepted(List<Problem> problems, EndpointResolution resolution) {
    if (!problems.isEmpty()) {
      return DesiredCondition.isFalse(
          ConditionType.ACCEPTED, problems.get(0).reason(), Problem.summary(problems));
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
}
