package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.OperatorFixture.apply;

import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.testkit.kube.GatewayApiCrds;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.redis.RedisServer;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import java.util.Map;

/**
 * Where every Gateway API test starts: a fresh namespace {@code infra} holding the gateway Service
 * (ports named as the chart names them: {@code http} 80 to 8080, {@code https} 443 to 8443) and a
 * GatewayClass of Tollgate's controller of its own (each test's class, so no test sees another's),
 * with the operator settings that serve them.
 *
 * @param api the API server
 * @param infra the namespace of the gateway Service, the GatewayClass's Gateways and the operator
 * @param className the GatewayClass, {@code tollgate-<infra>}
 */
record GatewayApiFixture(KubeApiServer api, String infra, String className) {
  static final String CONTROLLER = "tollgate.dev/gateway-controller";

  /** Tollgate's CRDs and the Gateway API's standard channel; once per test class. */
  static void installCrds(KubeApiServer api) {
    OperatorFixture.installCrds(api);
    GatewayApiCrds.install(api);
  }

  static GatewayApiFixture create(KubeApiServer api) {
    String infra = api.createNamespace("infra");
    String className = "tollgate-" + infra;
    apply(
        api,
        infra,
        """
        apiVersion: v1
        kind: Service
        metadata: {name: gateway}
        spec:
          ports:
            - {name: http, port: 80, targetPort: 8080}
            - {name: https, port: 443, targetPort: 8443}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: %s}
        spec: {controllerName: %s}
        """
            .formatted(className, CONTROLLER));
    return new GatewayApiFixture(api, infra, className);
  }

  /**
   * Operator settings watching {@code infra} and {@code alsoWatched}, with the gateway Service as
   * the Gateways' address; a map the test may add to.
   */
  Map<String, String> operatorSettings(RedisServer redis, String alsoWatched) {
    Map<String, String> env = OperatorFixture.settings(redis, infra);
    env.put(OperatorSettings.WATCH_NAMESPACES, infra + "," + alsoWatched);
    env.put(OperatorSettings.GATEWAY_SERVICE, infra + "/gateway");
    return env;
  }

  Gateway gateway(String name) {
    return api.client().resources(Gateway.class).inNamespace(infra).withName(name).get();
  }

  /** The status of a listener of a Gateway in {@code infra}; fails while there is none. */
  ListenerStatus listener(String gateway, String name) {
    return GatewayStatuses.listener(gateway(gateway), name);
  }
}
