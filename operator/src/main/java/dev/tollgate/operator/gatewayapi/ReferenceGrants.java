package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a ReferenceGrant opens a cross-namespace reference: the one rule for an HTTPRoute's
 * backendRef to a Service and a Gateway listener's certificateRef to a Secret. A grant lives in the
 * namespace of the object referred to, names the referring kind (of the Gateway API group) and
 * namespace in {@code from}, and the core kind referred to in {@code to}; a {@code to} without a
 * name opens every object of that kind in its namespace.
 */
public final class ReferenceGrants {
  private final ClusterView view;

  public ReferenceGrants(ClusterView view) {
    this.view = view;
  }

  /**
   * @param fromKind the referring Gateway API kind ({@code HTTPRoute}, {@code Gateway})
   * @param fromNamespace its namespace
   * @param toKind the core kind referred to ({@code Service}, {@code Secret})
   * @param toNamespace the namespace of the object referred to, where the grant must be
   */
  public boolean permit(
      String fromKind, String fromNamespace, String toKind, String toNamespace, String toName) {
    for (ReferenceGrant grant : view.referenceGrants(toNamespace)) {
      if (grant.getSpec() == null) {
        continue;
      }
      boolean fromOk =
          Optional.ofNullable(grant.getSpec().getFrom()).orElse(List.of()).stream()
              .anyMatch(
                  f ->
                      GatewayApiNames.GROUP.equals(f.getGroup())
                          && fromKind.equals(f.getKind())
                          && fromNamespace.equals(f.getNamespace()));
      boolean toOk =
          Optional.ofNullable(grant.getSpec().getTo()).orElse(List.of()).stream()
              .anyMatch(
                  t ->
                      (t.getGroup() == null || t.getGroup().isEmpty())
                          && toKind.equals(t.getKind())
                          && (t.getName() == null || Objects.equals(t.getName(), toName)));
      if (fromOk && toOk) {
        return true;
      }
    }
    return false;
  }
}
