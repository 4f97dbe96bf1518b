package dev.tollgate.gateway.backend;

/**
 * A failed attempt that is the request's own fault, not the endpoint's: its head holds what no
 * HTTP/1.1 request can carry, or its client stopped sending the body. An endpoint's circuit breaker
 * does not count it; otherwise any client could eject a healthy endpoint.
 */
public final class RequestFault extends RuntimeException {
  public RequestFault(Throwable cause) {
    super(cause.getMessage(), cause);
  }
}
