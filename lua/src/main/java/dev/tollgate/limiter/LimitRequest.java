package dev.tollgate.limiter;

import java.util.List;

/**
 * Everything one request must pass: all its limits, each with its own cost, decided together and
 * atomically (a request rejected by any limit consumes from none).
 */
public record LimitRequest(List<LimitCheck> checks) {
  public LimitRequest {
    checks = List.copyOf(checks);
    if (checks.isEmpty()) {
      throw new IllegalArgumentException("checks: a request needs at least one limit to decide");
    }
  }

  public static LimitRequest of(LimitCheck... checks) {
    return new LimitRequest(List.of(checks));
  }
}
