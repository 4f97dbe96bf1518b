package dev.tollgate.operator.cluster;

import dev.tollgate.operator.config.GatewayApiSettings;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import java.util.Optional;

/**
 * A cluster fake in which every GatewayClass asked for is one of Tollgate's default controller, so
 * Gateway API tests without an API server need not spell the class out.
 */
public interface TollgateClassClusterView extends EmptyClusterView {
  @Override
  default Optional<GatewayClass> gatewayClass(String name) {
    return Optional.of(
        new GatewayClassBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withControllerName(GatewayApiSettings.DEFAULT_CONTROLLER_NAME)
            .endSpec()
            .build());
  }
}
