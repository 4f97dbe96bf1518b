package dev.tollgate.api.v1alpha1;

import dev.tollgate.api.common.Condition;
import java.util.List;

/** Observed state of a {@link RateLimitPolicy}: conditions Accepted and Programmed. */
public class RateLimitPolicyStatus extends ResourceStatus {
  public RateLimitPolicyStatus() {}

  public RateLimitPolicyStatus(long observedGeneration, List<Condition> conditions) {
    super(observedGeneration, conditions);
  }
}
