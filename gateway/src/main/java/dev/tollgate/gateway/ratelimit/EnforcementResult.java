package dev.tollgate.gateway.ratelimit;

import dev.tollgate.gateway.ratelimit.RateLimitMetrics.Decision;
import java.util.List;

/**
 * What the rate-limit stage decided for one request.
 *
 * @param figures per limit that was decided, for the response fields (enforced and shadow limits;
 *     none for limits that failed open)
 * @param violated the enforced limits that refused the request; empty = admitted
 * @param verdicts every limit's decision as counted in {@code tollgate_ratelimit_decisions_total},
 *     for the access record
 */
public record EnforcementResult(
    List<LimitFigures> figures, List<CompiledLimit> violated, List<Verdict> verdicts) {
  public EnforcementResult {
    figures = List.copyOf(figures);
    violated = List.copyOf(violated);
    verdicts = List.copyOf(verdicts);
  }

  public boolean admitted() {
    return violated.isEmpty();
  }

  /**
   * One limit's decision.
   *
   * @param remaining requests left after this one; -1 when Redis failed ({@code error})
   */
  public record Verdict(CompiledLimit limit, Decision decision, long remaining) {}
}
