package dev.tollgate.gateway.ratelimit;

import java.util.List;

/**
 * What the rate-limit stage decided for one request.
 *
 * @param figures per limit that was decided, for the response fields (enforced and shadow limits;
 *     none for limits that failed open)
 * @param violated the enforced limits that refused the request; empty = admitted
 */
public record EnforcementResult(List<LimitFigures> figures, List<CompiledLimit> violated) {
  public EnforcementResult {
    figures = List.copyOf(figures);
    violated = List.copyOf(violated);
  }

  public boolean admitted() {
    return violated.isEmpty();
  }
}
