package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.ApiYaml;
import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotHttpRoute;
import dev.tollgate.gateway.backend.EndpointPools;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.route.MatchRequest;
import dev.tollgate.gateway.route.RouteTable;
import dev.tollgate.rules.Rulebook;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTPRoute matches as the Gateway API defines them, compiled from the operator's entry form. */
class HttpRouteCompilerTest {
  private static RouteTable compiled(String entryYaml) throws Exception {
    SnapshotHttpRoute route = ApiYaml.mapper().readValue(entryYaml, SnapshotHttpRoute.class);
    ConfigCompiler compiler =
        new ConfigCompiler(
            Rulebook.standard(), new EndpointPools(new GatewayMetrics(), uris -> {}), List.of());
    GatewayConfig config =
        compiler.compile(
            new ConfigSnapshot(1, List.of(), List.of(), List.of(route)), "test", new Rejections());
    assertThat(config.rejected().byResource()).isEmpty();
    return config.routes();
  }

  private static MatchRequest withHeaders(Map<String, List<String>> headers) {
    return new MatchRequest(
        "store.example.com",
        "GET",
        "/items",
        name -> headers.getOrDefault(name, List.of()),
        name -> List.of());
  }

  @Test
  void ofTwoHeaderMatchesWhoseNamesDifferOnlyInCaseOnlyTheFirstCounts() throws Exception {
    RouteTable table =
        compiled(
            """
            namespace: web
            name: store
            createdAt: "2026-01-01T00:00:00Z"
            hostnames: [store.example.com]
            rules:
              - matches:
                  - path: {type: PathPrefix, value: /items}
                    headers:
                      - {name: X-Env, value: canary}
                      - {name: x-env, value: prod}
                backends: [{ref: web/v1:80, weight: 1, endpoints: ["http://127.0.0.1:9"]}]
            """);

    assertThat(table.match(withHeaders(Map.of("x-env", List.of("canary"))))).isPresent();
    assertThat(table.match(withHeaders(Map.of("x-env", List.of("prod"))))).isEmpty();
  }
}
