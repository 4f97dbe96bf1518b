package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.RouteBackend.Protocol;
import dev.tollgate.api.v1alpha1.ServiceRef;
import org.junit.jupiter.api.Test;

class UpstreamProtocolsTest {
  private static RouteBackend service(Protocol protocol) {
    RouteBackend backend = new RouteBackend();
    backend.setService(new ServiceRef("orders", 8080));
    backend.setProtocol(protocol);
    return backend;
  }

  @Test
  void anExplicitProtocolWinsOverTheServicePort() {
    assertThat(UpstreamProtocols.effective(service(Protocol.HTTP1), "kubernetes.io/h2c"))
        .isEqualTo(Protocol.HTTP1);
    assertThat(UpstreamProtocols.effective(service(Protocol.H2), null)).isEqualTo(Protocol.H2);
  }

  @Test
  void theServicePortsAppProtocolNamesH2c() {
    assertThat(UpstreamProtocols.effective(service(null), "kubernetes.io/h2c"))
        .isEqualTo(Protocol.H2C);
  }

  @Test
  void anythingElseIsHttp1() {
    assertThat(UpstreamProtocols.effective(service(null), null)).isEqualTo(Protocol.HTTP1);
    assertThat(UpstreamProtocols.effective(service(null), "kubernetes.io/ws"))
        .isEqualTo(Protocol.HTTP1);
  }
}
