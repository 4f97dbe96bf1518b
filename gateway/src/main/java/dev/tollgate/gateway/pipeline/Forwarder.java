package dev.tollgate.gateway.pipeline;

/**
 * Sends a request that passed every stage to its route's upstream and answers the client with what
 * came back. The pipeline depends on this, not on the proxy, so the proxy (which reads the
 * exchange) stays the only side of that edge.
 */
@FunctionalInterface
public interface Forwarder {
  void forward(GatewayExchange exchange);
}
