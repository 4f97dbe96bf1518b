package dev.tollgate.gateway.ratelimit;

import dev.tollgate.gateway.problem.GatewayProblemException;
import io.helidon.http.Status;

/** 503 for {@code failureMode: closed} while Redis is unavailable or too slow. */
public final class LimiterUnavailableProblem extends GatewayProblemException {
  public LimiterUnavailableProblem() {
    super(
        Status.SERVICE_UNAVAILABLE_503,
        "rate-limiter-unavailable",
        "Service unavailable",
        "The rate limiter is unavailable and this route does not admit requests without it.");
  }
}
