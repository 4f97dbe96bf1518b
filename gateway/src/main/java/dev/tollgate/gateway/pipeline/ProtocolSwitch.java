package dev.tollgate.gateway.pipeline;

import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * Switches a client connection to another protocol once its handshake passed every stage (the
 * WebSocket relay implements it). The pipeline depends on this, not on the relay, so the relay
 * (which reads the exchange) stays the only side of that edge, as with {@link Forwarder}.
 */
public interface ProtocolSwitch {

  /** Whether the request is a handshake for this switch; asked before the stages run. */
  boolean isHandshake(ServerRequest request);

  /**
   * Forwards the handshake upstream.
   *
   * @return the switched connection, its {@code 101} already written to the client; empty when the
   *     upstream refused the switch (its answer was relayed as a normal response)
   */
  Optional<Switched> open(GatewayExchange exchange);

  /** A connection after the switch, relayed on the client connection's own thread. */
  interface Switched {
    /** Relays until the switched protocol ends. */
    void run();
  }
}
