package dev.tollgate.gateway.backend;

import io.helidon.faulttolerance.CircuitBreaker;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream address of a route with its live state: requests in flight (for least-request
 * balancing) and its circuit breaker. While the breaker is open the endpoint is ejected; after the
 * breaker's delay it turns half-open and the next request routed to it is the probe.
 */
public final class Endpoint {
  private final URI uri;
  private final CircuitBreaker breaker;
  private final AtomicInteger inFlight = new AtomicInteger();

  Endpoint(URI uri, CircuitBreaker breaker) {
    this.uri = uri;
    this.breaker = breaker;
  }

  /** {@code scheme://host:port} without a path. */
  public URI uri() {
    return uri;
  }

  public boolean isEjected() {
    return breaker.state() == CircuitBreaker.State.OPEN;
  }

  public int inFlight() {
    return inFlight.get();
  }

  /** The breaker every attempt at this endpoint runs in (the proxy's attempts). */
  public CircuitBreaker breaker() {
    return breaker;
  }

  public void started() {
    inFlight.incrementAndGet();
  }

  public void finished() {
    inFlight.decrementAndGet();
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}
