package dev.tollgate.operator.reconciler.ratelimitpolicy;

import dev.tollgate.api.common.TargetRef;
import dev.tollgate.operator.cluster.ClusterView;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.List;
import java.util.Optional;

/**
 * Whether a policy's HTTPRoute or Gateway target exists, read from the operator's informer caches
 * (empty where the Gateway API CRDs are not installed): an HTTPRoute with a {@code sectionName}
 * exists only with a rule of that name.
 */
public final class GatewayApiTargets {
  private final ClusterView view;

  public GatewayApiTargets(ClusterView view) {
    this.view = view;
  }

  public boolean exists(String namespace, TargetRef target) {
    return switch (target.getKind()) {
      case GATEWAY -> view.gateway(namespace, target.getName()).isPresent();
      case HTTP_ROUTE ->
          view.httpRoute(namespace, target.getName())
              .filter(
                  route ->
                      target.getSectionName() == null
                          || Optional.ofNullable(route.getSpec().getRules())
                              .orElse(List.of())
                              .stream()
                              .map(HTTPRouteRule::getName)
                              .anyMatch(target.getSectionName()::equals))
              .isPresent();
      case ROUTE -> false;
    };
  }
}
