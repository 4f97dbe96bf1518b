package dev.tollgate.gateway.websocket;

import dev.tollgate.gateway.edge.ClientConnections;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.pipeline.GatewayExchange;
import dev.tollgate.gateway.pipeline.ProtocolSwitch;
import dev.tollgate.gateway.problem.GatewayProblems.Overloaded;
import dev.tollgate.gateway.proxy.UpgradedUpstream;
import dev.tollgate.gateway.proxy.UpstreamUpgrade;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * Opens a WebSocket for a handshake that passed the pipeline: takes a place under {@code
 * TOLLGATE_WEBSOCKET_MAX_CONNECTIONS} (503 {@code overloaded} when none is left), forwards the
 * handshake, and returns the tunnel to run once the upstream switched protocols.
 */
public final class WebSocketProxy implements ProtocolSwitch {
  private final UpstreamUpgrade upgrade;
  private final WebSocketTunnels tunnels;
  private final GatewayMetrics metrics;

  public WebSocketProxy(UpstreamUpgrade upgrade, WebSocketTunnels tunnels, GatewayMetrics metrics) {
    this.upgrade = upgrade;
    this.tunnels = tunnels;
    this.metrics = metrics;
  }

  @Override
  public boolean isHandshake(ServerRequest request) {
    return WebSocketRequests.isHandshake(request);
  }

  /**
   * @return the tunnel, its {@code 101} already written to the client; empty when the upstream
   *     refused the handshake (its answer was relayed as a normal response)
   */
  @Override
  public Optional<Switched> open(GatewayExchange exchange) {
    ConnectionContext client =
        ClientConnections.currentContext()
            .orElseThrow(
                () -> new IllegalStateException("a handshake outside an HTTP/1 connection"));
    if (!tunnels.tryReserve()) {
      metrics.overloaded("websockets");
      throw new Overloaded();
    }
    WebSocketTunnel tunnel = null;
    try {
      Optional<UpgradedUpstream> upstream =
          upgrade.forward(exchange, WebSocketRequests.PROTOCOL, client.dataWriter());
      tunnel =
          upstream.map(connection -> new WebSocketTunnel(client, connection, tunnels)).orElse(null);
      return Optional.ofNullable(tunnel);
    } finally {
      if (tunnel == null) {
        tunnels.release();
      }
    }
  }
}
