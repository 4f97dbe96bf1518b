package dev.tollgate.operator.status;

import dev.tollgate.api.common.Condition;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns desired conditions into status conditions, keeping {@code lastTransitionTime} from the
 * previous condition of the same type while its status is unchanged (Kubernetes convention: the
 * time says when the status last flipped, not when a message last changed). Without this every
 * reconcile would rewrite the time, and every status patch would wake watchers for nothing.
 */
public final class StatusConditions {
  private final Clock clock;

  public StatusConditions(Clock clock) {
    this.clock = clock;
  }

  public List<Condition> merge(
      List<Condition> previous, long observedGeneration, List<DesiredCondition> desired) {
    return desired.stream()
        .map(
            d -> {
              Optional<Condition> before =
                  Optional.ofNullable(previous).orElse(List.of()).stream()
                      .filter(c -> d.type().equals(c.getType()))
                      .findFirst();
              Condition condition =
                  Condition.of(
                      d.type(),
                      d.status(),
                      d.reason(),
                      d.message(),
                      observedGeneration,
                      clock.instant());
              before
                  .filter(b -> Objects.equals(b.getStatus(), d.status()))
                  .map(Condition::getLastTransitionTime)
                  .filter(Objects::nonNull)
                  .ifPresent(condition::setLastTransitionTime);
              return condition;
            })
        .toList();
  }
}
