package dev.tollgate.operator.gatewayapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.tollgate.operator.cluster.InformerClusterView;
import dev.tollgate.operator.config.GatewayApiSettings;
import dev.tollgate.operator.it.OperatorFixture;
import dev.tollgate.rules.Rulebook;
import dev.tollgate.testkit.kube.GatewayApiCrds;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The generation an HTTPRoute's parent conditions name, on a real API server: the status is written
 * on a thread of its own after the compilation that resolved the route, and the route may have
 * changed in between. A condition's {@code observedGeneration} must be the generation it was
 * computed from, or a client waiting for the new generation reads the old verdict as its own.
 */
class HttpRouteStatusGenerationIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  private static final String CONTROLLER = "tollgate.dev/gateway-controller";

  private static final String ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: store}
      spec:
        parentRefs: [{name: public%s}]
        rules: [{matches: [{path: {type: PathPrefix, value: /items}}]}]
      """;

  @Test
  void parentConditionsNameTheGenerationTheyWereResolvedFrom() {
    OperatorFixture.installCrds(KUBE.api());
    GatewayApiCrds.install(KUBE.api());
    String namespace = KUBE.api().createNamespace("web");
    OperatorFixture.apply(
        KUBE.api(),
        namespace,
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: tollgate-%1$s}
        spec: {controllerName: %2$s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: public}
        spec:
          gatewayClassName: tollgate-%1$s
          listeners: [{name: http, protocol: HTTP, port: 80}]
        """
                .formatted(namespace, CONTROLLER)
            + "---\n"
            + ROUTE.formatted(""));
    KubernetesClient client = KUBE.api().client();
    GatewayApiSettings settings = new GatewayApiSettings(CONTROLLER, Optional.empty());
    try (InformerClusterView view =
        new InformerClusterView(client, Set.of(namespace), true, false)) {
      view.start(change -> {});
      Listeners listeners = new Listeners(view, settings);
      HttpRouteResolver resolver = new HttpRouteResolver(view, listeners, Rulebook.standard());
      HttpRouteResolver.Resolution first =
          resolver.resolve(view.httpRoute(namespace, "store").orElseThrow());
      assertThat(first.parents().getFirst().accepted().isFalse()).isFalse();

      // before that resolution's status is written, generation 2 names a listener there is not
      OperatorFixture.apply(KUBE.api(), namespace, ROUTE.formatted(", sectionName: missing"));
      await()
          .atMost(OperatorFixture.patience())
          .until(
              () ->
                  view.httpRoute(namespace, "store").orElseThrow().getMetadata().getGeneration()
                      == 2);
      GatewayApiStatusWriter writer =
          new GatewayApiStatusWriter(
              client, view, listeners, Optional.empty(), settings, Clock.systemUTC());
      writer.write(Map.of(namespace + "/store", first));

      HTTPRoute stored =
          client.resources(HTTPRoute.class).inNamespace(namespace).withName("store").get();
      assertThat(stored.getStatus().getParents().getFirst().getConditions())
          .extracting(Condition::getType, Condition::getStatus, Condition::getObservedGeneration)
          .contains(tuple("Accepted", "True", 1L));
    }
  }
}
