package dev.tollgate.gateway.backend;

import dev.tollgate.api.v1alpha1.Retries.RetryOn;
import java.util.Set;

/**
 * {@code spec.backend.retries}: how many extra attempts an idempotent request without a body may
 * get, and on which failures. A request with a body is never retried, because its body was streamed
 * to the failed attempt and is gone.
 *
 * @param attempts extra attempts after the first (0 = no retry)
 * @param on the failures that are retried
 */
public record RetryPolicy(int attempts, Set<RetryOn> on) {
  public static final RetryPolicy NONE = new RetryPolicy(0, Set.of());

  /** RFC 9110 9.2.2 idempotent methods. */
  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  public RetryPolicy {
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
    }
    on = Set.copyOf(on);
  }

  public static boolean isIdempotent(String method) {
    return IDEMPOTENT.contains(method);
  }

  /** True when an upstream answer with this status is retried (502-504, or any 5xx). */
  public boolean retriesStatus(int status) {
    boolean gatewayError = status == 502 || status == 503 || status == 504;
    return (gatewayError && on.contains(RetryOn.GATEWAY_ERROR))
        || (status >= 500 && on.contains(RetryOn.SERVER_ERROR));
  }
}
