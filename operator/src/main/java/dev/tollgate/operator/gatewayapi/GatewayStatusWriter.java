package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.config.GatewayApiSettings;
import dev.tollgate.operator.status.DesiredCondition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status of one of Tollgate's Gateways: its own {@code Accepted} and {@code Programmed}, the
 * address of the gateway Service, and its listeners' statuses ({@link ListenerStatuses}); written
 * only when it differs from the stored one.
 */
final class GatewayStatusWriter {
  private final Listeners listeners;
  private final ListenerStatuses listenerStatuses;
  private final GatewayApiSettings settings;
  private final GatewayApiConditions conditions;
  private final StatusUpdates updates;

  GatewayStatusWriter(
      Listeners listeners,
      GatewayApiSettings settings,
      GatewayApiConditions conditions,
      StatusUpdates updates) {
    this.listeners = listeners;
    this.listenerStatuses = new ListenerStatuses(listeners, conditions);
    this.settings = settings;
    this.conditions = conditions;
    this.updates = updates;
  }

  void write(Gateway gateway, Map<String, Integer> attached, ListenerCertificates.Judgement tls) {
    long generation = GatewayApiConditions.generation(gateway);
    GatewayStatus before = gateway.getStatus();
    ListenerStatuses.Result listenerResult =
        listenerStatuses.of(gateway, generation, attached, tls);
    Optional<String> address = listeners.address();
    boolean staticAddresses =
        gateway.getSpec().getAddresses() != null && !gateway.getSpec().getAddresses().isEmpty();
    GatewayStatus status = new GatewayStatus();
    status.setConditions(
        conditions.merge(
            before == null ? List.of() : before.getConditions(),
            generation,
            desired(address, staticAddresses, listenerResult.allValid())));
    status.setListeners(listenerResult.statuses());
    status.setAddresses(address.map(GatewayStatusWriter::statusAddress).orElse(List.of()));
    if (status.equals(before)) {
      return;
    }
    Gateway copy = updates.copy(gateway);
    copy.setStatus(status);
    updates.update(withEverySupportedKinds(copy));
  }

  private List<DesiredCondition> desired(
      Optional<String> address, boolean staticAddresses, boolean allValid) {
    List<DesiredCondition> desired = new ArrayList<>();
    desired.add(
        staticAddresses
            ? DesiredCondition.isFalse(
                GatewayApiNames.ACCEPTED,
                GatewayApiNames.UNSUPPORTED_ADDRESS,
                "spec.addresses is not supported; the address is the gateway Service's")
            : allValid
                ? DesiredCondition.isTrue(
                    GatewayApiNames.ACCEPTED, GatewayApiNames.REASON_ACCEPTED, "gateway accepted")
                : DesiredCondition.isTrue(
                    GatewayApiNames.ACCEPTED,
                    GatewayApiNames.LISTENERS_NOT_VALID,
                    "some listeners are not valid; see status.listeners"));
    desired.add(
        address.isPresent() && !staticAddresses
            ? DesiredCondition.isTrue(
                GatewayApiNames.PROGRAMMED,
                GatewayApiNames.REASON_PROGRAMMED,
                "served by the gateway pods at " + address.get())
            : DesiredCondition.isFalse(
                GatewayApiNames.PROGRAMMED,
                GatewayApiNames.ADDRESS_NOT_ASSIGNED,
                settings.addressService().isEmpty()
                    ? "no gateway Service configured (TOLLGATE_GATEWAY_SERVICE)"
                    : "the gateway Service has no address yet"));
    return desired;
  }

  /** An IP address (v4 or v6 characters only) or else a host name, as the Service reports it. */
  private static List<GatewayStatusAddress> statusAddress(String address) {
    GatewayStatusAddress value = new GatewayStatusAddress();
    value.setType(address.matches("[0-9a-fA-F.:]+") ? "IPAddress" : "Hostname");
    value.setValue(address);
    return List.of(value);
  }

  /**
   * The Gateway as a generic resource whose every listener status has {@code supportedKinds}: the
   * model leaves an empty list out, the CRD requires the field, and a listener that allows only
   * kinds Tollgate cannot serve has none, so the API server would refuse the whole status (422).
   */
  @SuppressWarnings("unchecked")
  private GenericKubernetesResource withEverySupportedKinds(Gateway gateway) {
    GenericKubernetesResource generic = updates.generic(gateway);
    if (generic.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("listeners") instanceof List<?> listenerStatuses) {
      for (Object listener : listenerStatuses) {
        ((Map<String, Object>) listener).putIfAbsent("supportedKinds", new ArrayList<>());
      }
    }
    return generic;
  }
}
