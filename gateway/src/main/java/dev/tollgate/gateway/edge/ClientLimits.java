package dev.tollgate.gateway.edge;

import java.time.Duration;

/**
 * What one client connection may cost the gateway. The defaults follow nginx ({@code
 * client_header_timeout} and {@code client_body_timeout} 60 s, {@code keepalive_timeout} 75 s,
 * {@code underscores_in_headers off}); see docs/gateway.md for the exact bounds.
 *
 * @param headerTimeout the header fields of a request must arrive within this after its request
 *     line; otherwise 408 and the connection is closed
 * @param bodyTimeout longest wait for the next bytes of a request body; otherwise 408 and closed
 * @param sendTimeout longest a write to the client may take (the client reads nothing meanwhile);
 *     otherwise the connection is closed
 * @param keepAliveTimeout a connection without a request in progress (idle between requests, or
 *     still sending its request line) is closed after this
 * @param maxConnections connections served at once on the public port; the next ones get one 503
 *     {@code overloaded} and are closed
 * @param maxRequestsInFlight requests handled at once; further ones get 503 {@code overloaded}
 * @param underscoreHeaders what happens to header names containing {@code _}
 */
public record ClientLimits(
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration sendTimeout,
    Duration keepAliveTimeout,
    int maxConnections,
    int maxRequestsInFlight,
    UnderscoreHeaders underscoreHeaders) {

  public ClientLimits {
    positive("TOLLGATE_CLIENT_HEADER_TIMEOUT", headerTimeout);
    positive("TOLLGATE_CLIENT_BODY_TIMEOUT", bodyTimeout);
    positive("TOLLGATE_CLIENT_SEND_TIMEOUT", sendTimeout);
    positive("TOLLGATE_KEEPALIVE_TIMEOUT", keepAliveTimeout);
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "TOLLGATE_MAX_CONNECTIONS must be > 0, was " + maxConnections);
    }
    if (maxRequestsInFlight < 1) {
      throw new IllegalArgumentException(
          "TOLLGATE_MAX_REQUESTS_IN_FLIGHT must be > 0, was " + maxRequestsInFlight);
    }
  }

  private static void positive(String name, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
