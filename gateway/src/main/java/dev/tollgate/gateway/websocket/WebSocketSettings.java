package dev.tollgate.gateway.websocket;

import java.time.Duration;

/**
 * Bounds of proxied WebSocket connections.
 *
 * @param maxConnections WebSockets open at once; the next handshake is answered 503 {@code
 *     overloaded}
 * @param idleTimeout a WebSocket with no byte in either direction for this long is closed
 * @param maxLifetime a WebSocket open this long is closed, however busy
 */
public record WebSocketSettings(int maxConnections, Duration idleTimeout, Duration maxLifetime) {
  public WebSocketSettings {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be > 0, was " + maxConnections);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be > 0, was " + idleTimeout);
    }
    if (maxLifetime.isNegative() || maxLifetime.isZero()) {
      throw new IllegalArgumentException("maxLifetime must be > 0, was " + maxLifetime);
    }
  }
}
