package dev.tollgate.api.v1alpha1;

import dev.tollgate.api.common.Condition;
import java.util.List;

/** Observed state of a {@link Route}: conditions Accepted and Programmed. */
public class RouteStatus extends ResourceStatus {
  public RouteStatus() {}

  public RouteStatus(long observedGeneration, List<Condition> conditions) {
    super(observedGeneration, conditions);
  }
}
