package dev.tollgate.operator.it;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import java.util.List;

/** Reads the Gateway API status the operator wrote, in forms assertions compare easily. */
final class GatewayStatuses {
  private GatewayStatuses() {}

  /** The status of one listener of a Gateway; fails when the Gateway has none for it (yet). */
  static ListenerStatus listener(Gateway gateway, String name) {
    if (gateway.getStatus() == null || gateway.getStatus().getListeners() == null) {
      throw new AssertionError("no listener status on Gateway " + gateway.getMetadata().getName());
    }
    return gateway.getStatus().getListeners().stream()
        .filter(l -> l.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no status of listener " + name));
  }

  /** {@code "True Accepted"}: status and reason of the condition of a type. */
  static String condition(List<Condition> conditions, String type) {
    return conditions.stream()
        .filter(c -> c.getType().equals(type))
        .map(c -> c.getStatus() + " " + c.getReason())
        .findFirst()
        .orElse("absent");
  }

  /** {@code "Accepted=True Accepted"} for each condition of a listener. */
  static List<String> conditions(ListenerStatus listener) {
    return listener.getConditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason())
        .toList();
  }

  /** The message of a listener's condition of a type. */
  static String message(ListenerStatus listener, String type) {
    return listener.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(Condition::getMessage)
        .findFirst()
        .orElse("absent");
  }
}
