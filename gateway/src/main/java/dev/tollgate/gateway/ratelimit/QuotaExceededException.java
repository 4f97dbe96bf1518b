package dev.tollgate.gateway.ratelimit;

import dev.tollgate.gateway.problem.GatewayProblemException;
import io.helidon.http.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * 429 {@code quota-exceeded}, naming each violated policy and limit. The rate-limit fields and
 * {@code Retry-After} travel as response headers of the exchange, set before this is thrown.
 */
public final class QuotaExceededException extends GatewayProblemException {
  private final transient List<Map<String, Object>> violations;

  public QuotaExceededException(List<CompiledLimit> violated) {
    super(
        Status.TOO_MANY_REQUESTS_429,
        "quota-exceeded",
        "Too many requests",
        "Rate limit exceeded: "
            + violated.stream().map(CompiledLimit::name).collect(Collectors.joining(", "))
            + ".");
    this.violations =
        violated.stream()
            .map(
                limit -> {
                  Map<String, Object> member = new LinkedHashMap<>();
                  member.put("policy", limit.policy());
                  member.put("limit", limit.definition().id().limit());
                  return member;
                })
            .toList();
  }

  @Override
  public Map<String, Object> extensions() {
    return Map.of("violations", violations);
  }
}
