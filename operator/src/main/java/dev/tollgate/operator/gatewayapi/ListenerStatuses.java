package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.status.DesiredCondition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code status.listeners[]} of one Gateway: each listener's {@code Accepted}, {@code
 * Programmed}, {@code ResolvedRefs} and {@code Conflicted} conditions, its attached-route count and
 * supported kinds. A listener is judged on its own spec ({@link Listeners}) and, for HTTPS, on its
 * certificates ({@link ListenerCertificates}). {@code Programmed=False} names the spec's problem
 * before the certificates' (a listener Tollgate cannot serve is not served, whatever its
 * certificates); {@code ResolvedRefs=False} names an unusable certificate before route kinds
 * Tollgate cannot serve.
 */
final class ListenerStatuses {
  private final Listeners listeners;
  private final GatewayApiConditions conditions;

  ListenerStatuses(Listeners listeners, GatewayApiConditions conditions) {
    this.listeners = listeners;
    this.conditions = conditions;
  }

  /**
   * @param statuses the statuses of a Gateway's listeners, in spec order
   * @param allValid whether no listener has a problem (its spec, route kinds or certificates): the
   *     Gateway's own {@code Accepted} reason depends on it
   */
  record Result(List<ListenerStatus> statuses, boolean allValid) {}

  Result of(
      Gateway gateway,
      long generation,
      Map<String, Integer> attached,
      ListenerCertificates.Judgement tls) {
    GatewayStatus before = gateway.getStatus();
    Map<String, ListenerStatus> previousListeners = new HashMap<>();
    if (before != null && before.getListeners() != null) {
      before.getListeners().forEach(l -> previousListeners.put(l.getName(), l));
    }
    List<ListenerStatus> listenerStatuses = new ArrayList<>();
    boolean allValid = true;
    for (Listener listener :
        Optional.ofNullable(gateway.getSpec().getListeners()).orElse(List.of())) {
      Optional<DesiredCondition> invalid = listeners.invalid(listener);
      List<RouteGroupKind> invalidKinds = Listeners.invalidKinds(listener);
      ListenerCertificates.Verdict certificateVerdict = tls.of(gateway, listener);
      allValid &= invalid.isEmpty() && invalidKinds.isEmpty() && certificateVerdict.fine();
      ListenerStatus status = new ListenerStatus();
      status.setName(listener.getName());
      status.setAttachedRoutes(attached.getOrDefault(listener.getName(), 0));
      status.setSupportedKinds(
          Listeners.allowsHttpRoutes(listener) ? List.of(httpRouteKind()) : List.of());
      ListenerStatus previous = previousListeners.get(listener.getName());
      status.setConditions(
          conditions.merge(
              previous == null ? List.of() : previous.getConditions(),
              generation,
              desired(invalid, invalidKinds, certificateVerdict)));
      listenerStatuses.add(status);
    }
    return new Result(listenerStatuses, allValid);
  }

  private static List<DesiredCondition> desired(
      Optional<DesiredCondition> invalid,
      List<RouteGroupKind> invalidKinds,
      ListenerCertificates.Verdict certificateVerdict) {
    List<DesiredCondition> desired = new ArrayList<>();
    desired.add(
        invalid.orElse(
            DesiredCondition.isTrue(
                GatewayApiNames.ACCEPTED, GatewayApiNames.REASON_ACCEPTED, "listener accepted")));
    desired.add(
        invalid
            .map(i -> DesiredCondition.isFalse(GatewayApiNames.PROGRAMMED, i.reason(), i.message()))
            .or(certificateVerdict::programmed)
            .orElse(
                DesiredCondition.isTrue(
                    GatewayApiNames.PROGRAMMED,
                    GatewayApiNames.REASON_PROGRAMMED,
                    "served by the gateway pods")));
    desired.add(
        certificateVerdict
            .resolvedRefs()
            .orElse(
                invalidKinds.isEmpty()
                    ? DesiredCondition.isTrue(
                        GatewayApiNames.RESOLVED_REFS,
                        GatewayApiNames.REASON_RESOLVED_REFS,
                        "references resolved")
                    : DesiredCondition.isFalse(
                        GatewayApiNames.RESOLVED_REFS,
                        GatewayApiNames.INVALID_ROUTE_KINDS,
                        "only HTTPRoute can attach")));
    desired.add(
        DesiredCondition.isFalse(
            GatewayApiNames.CONFLICTED, GatewayApiNames.REASON_NO_CONFLICTS, "no conflicts"));
    return desired;
  }

  private static RouteGroupKind httpRouteKind() {
    RouteGroupKind kind = new RouteGroupKind();
    kind.setGroup(GatewayApiNames.GROUP);
    kind.setKind(GatewayApiNames.HTTP_ROUTE);
    return kind;
  }
}
