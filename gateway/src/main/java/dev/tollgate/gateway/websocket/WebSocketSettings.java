package dev.tollgate.gateway.websocket;

import java.time.Duration;

/**
 * Bounds of proxied WebSocket connections, read and checked by {@code GatewaySettings}.
 *
 * @param maxConnections WebSockets open at once; the next handshake is answered 503 {@code
 *     overloaded}
 * @param idleTimeout a WebSocket with no byte in either direction for this long is closed
 * @param maxLifetime a WebSocket open this long is closed, however busy
 */
public record WebSocketSettings(int maxConnections, Duration idleTimeout, Duration maxLifetime) {}
