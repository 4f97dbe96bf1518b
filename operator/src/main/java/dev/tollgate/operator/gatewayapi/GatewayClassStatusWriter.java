package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.config.GatewayApiSettings;
import dev.tollgate.operator.status.DesiredCondition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatus;
import java.util.List;

/**
 * Says {@code Accepted=True} on the GatewayClasses of Tollgate's controller name; the rest of their
 * status (other controllers never write it) is kept as it is.
 */
record GatewayClassStatusWriter(
    GatewayApiSettings settings, GatewayApiConditions conditions, StatusUpdates updates) {

  boolean ours(GatewayClass gatewayClass) {
    return gatewayClass.getSpec() != null
        && settings.controllerName().equals(gatewayClass.getSpec().getControllerName());
  }

  void write(GatewayClass gatewayClass) {
    List<Condition> previous =
        gatewayClass.getStatus() == null ? List.of() : gatewayClass.getStatus().getConditions();
    List<Condition> merged =
        conditions.merge(
            previous,
            GatewayApiConditions.generation(gatewayClass),
            List.of(
                DesiredCondition.isTrue(
                    GatewayApiNames.ACCEPTED,
                    GatewayApiNames.REASON_ACCEPTED,
                    "served by " + settings.controllerName())));
    if (gatewayClass.getStatus() != null
        && merged.equals(gatewayClass.getStatus().getConditions())) {
      return;
    }
    GatewayClass copy = updates.copy(gatewayClass);
    GatewayClassStatus status =
        copy.getStatus() == null ? new GatewayClassStatus() : copy.getStatus();
    status.setConditions(merged);
    copy.setStatus(status);
    updates.update(copy);
  }
}
