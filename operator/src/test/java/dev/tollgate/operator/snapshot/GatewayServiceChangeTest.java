package dev.tollgate.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.cluster.ClusterChange;
import dev.tollgate.operator.cluster.TollgateClassClusterView;
import dev.tollgate.operator.config.GatewayApiSettings;
import dev.tollgate.operator.gatewayapi.HttpRouteResolver;
import dev.tollgate.operator.gatewayapi.Listeners;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Rulebook;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The gateway Service decides which listeners are valid (a listener's port must be one it exposes),
 * so a change of it changes which HTTPRoutes attach, at the compilation it triggers.
 */
class GatewayServiceChangeTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String CONTROLLER = GatewayApiSettings.DEFAULT_CONTROLLER_NAME;
  private static final ResourceId STORE = ResourceId.httpRoute("web", "store");

  /** One class, Gateway infra/public, HTTPRoute web/store and the gateway Service as it is now. */
  private static final class Cluster implements TollgateClassClusterView {
    private Service gatewayService = gatewayService(80);

    @Override
    public Optional<Service> service(String namespace, String name) {
      return namespace.equals("infra") && name.equals("gateway")
          ? Optional.of(gatewayService)
          : Optional.empty();
    }

    @Override
    public Optional<Gateway> gateway(String namespace, String name) {
      return Optional.of(
          YAML.unmarshal(
              """
              apiVersion: gateway.networking.k8s.io/v1
              kind: Gateway
              metadata: {name: public, namespace: infra}
              spec:
                gatewayClassName: tollgate
                listeners:
                  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
              """,
              Gateway.class));
    }

    @Override
    public List<HTTPRoute> httpRoutes() {
      return List.of(
          YAML.unmarshal(
              """
              apiVersion: gateway.networking.k8s.io/v1
              kind: HTTPRoute
              metadata: {name: store, namespace: web, generation: 1}
              spec:
                parentRefs: [{name: public, namespace: infra}]
                rules: [{matches: [{path: {type: PathPrefix, value: /items}}]}]
              """,
              HTTPRoute.class));
    }

    @Override
    public Optional<HTTPRoute> httpRoute(String namespace, String name) {
      return httpRoutes().stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst();
    }
  }

  private static Service gatewayService(int port) {
    return YAML.unmarshal(
        """
        apiVersion: v1
        kind: Service
        metadata: {name: gateway, namespace: infra}
        spec: {ports: [{name: http, port: %d}]}
        """
            .formatted(port),
        Service.class);
  }

  @Test
  void routesDetachAtOnceWhenTheGatewayServiceNoLongerExposesTheirListenersPort() {
    Cluster cluster = new Cluster();
    GatewayApiSettings settings =
        new GatewayApiSettings(
            CONTROLLER, Optional.of(new GatewayApiSettings.ServiceName("infra", "gateway")));
    SnapshotCompiler compiler =
        new SnapshotCompiler(
            cluster,
            Rulebook.standard(),
            Optional.of(
                new HttpRouteResolver(
                    cluster, new Listeners(cluster, settings), Rulebook.standard())));
    assertThat(compiler.compile().entries()).containsKey(STORE);

    cluster.gatewayService = gatewayService(8080);
    compiler.changed(new ClusterChange(ClusterChange.Kind.SERVICE, "infra", "gateway"));

    assertThat(compiler.compile().entries()).doesNotContainKey(STORE);
    assertThat(compiler.httpRouteResolutions().get("web/store").parents())
        .singleElement()
        .satisfies(p -> assertThat(p.accepted().reason()).isEqualTo("NotAllowedByListeners"));
  }
}
