package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.RouteBackend.Protocol;
import dev.tollgate.api.v1alpha1.RouteMatch;
import dev.tollgate.api.v1alpha1.RouteSpec;
import dev.tollgate.api.v1alpha1.ServiceRef;
import dev.tollgate.gateway.backend.EndpointPools;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.rules.Rulebook;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upstream protocol a compiled route gets from its spec and the operator's appProtocol. */
class UpstreamProtocolCompileTest {
  private static Protocol compiled(Protocol declared, String appProtocol) {
    RouteMatch match = new RouteMatch();
    match.setPathPrefix("/shop.v1.Orders/");
    RouteBackend backend = new RouteBackend();
    backend.setService(new ServiceRef("orders", 9090));
    backend.setProtocol(declared);
    RouteSpec spec = new RouteSpec();
    spec.setMatch(match);
    spec.setBackend(backend);
    SnapshotRoute route =
        new SnapshotRoute("shop", "orders", spec, List.of("http://10.0.0.1:9000"), appProtocol);
    ConfigCompiler compiler =
        new ConfigCompiler(
            Rulebook.standard(), new EndpointPools(new GatewayMetrics(), uris -> {}), List.of());
    GatewayConfig config =
        compiler.compile(
            new ConfigSnapshot(1, List.of(route), List.of()), "test", new Rejections());
    return config.routes().routes().getFirst().backends().pick().orElseThrow().protocol();
  }

  @Test
  void aServicePortWithTheH2cAppProtocolMakesAnH2cBackend() {
    assertThat(compiled(null, "kubernetes.io/h2c")).isEqualTo(Protocol.H2C);
  }

  @Test
  void theRoutesOwnProtocolWins() {
    assertThat(compiled(Protocol.HTTP1, "kubernetes.io/h2c")).isEqualTo(Protocol.HTTP1);
  }

  @Test
  void withoutEitherTheUpstreamSpeaksHttp1() {
    assertThat(compiled(null, null)).isEqualTo(Protocol.HTTP1);
  }
}
