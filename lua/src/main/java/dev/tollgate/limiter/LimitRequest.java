package dev.tollgate.limiter;

import java.util.List;

/**
 * Everything one request must pass: all its limits, decided together and atomically (a request
 * rejected by any limit consumes from none), and the request's cost in each of them.
 */
public record LimitRequest(List<LimitCheck> checks, long cost) {
  public LimitRequest {
    checks = List.copyOf(checks);
    if (checks.isEmpty()) {
      throw new IllegalArgumentException("checks: a request needs at least one limit to decide");
    }
    if (cost < 1) {
      throw new IllegalArgumentException("cost: " + cost + " must be at least 1");
    }
  }

  public static LimitRequest of(LimitCheck... checks) {
    return new LimitRequest(List.of(checks), 1);
  }
}
