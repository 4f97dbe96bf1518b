package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.status.DesiredCondition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns desired conditions into the Gateway API's status conditions (fabric8's {@link Condition}),
 * keeping {@code lastTransitionTime} of a condition whose status stays, so that a pass that changes
 * nothing writes nothing. Tollgate's own kinds do the same with their own condition type ({@link
 * dev.tollgate.operator.status.StatusConditions}); this one writes the time in whole seconds, the
 * precision the API server keeps of a {@code metav1.Time}.
 */
final class GatewayApiConditions {
  private final Clock clock;

  GatewayApiConditions(Clock clock) {
    this.clock = clock;
  }

  /** {@code metadata.generation}, 0 when the API server has not set one. */
  static long generation(HasMetadata resource) {
    return Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L);
  }

  List<Condition> merge(List<Condition> previous, long generation, List<DesiredCondition> desired) {
    List<Condition> result = new ArrayList<>();
    for (DesiredCondition d : desired) {
      Optional<Condition> before =
          Optional.ofNullable(previous).orElse(List.of()).stream()
              .filter(c -> d.type().equals(c.getType()))
              .findFirst();
      String since =
          before
              .filter(b -> d.status().equals(b.getStatus()))
              .map(Condition::getLastTransitionTime)
              .orElse(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
      // the model's generated constructor takes the fields in alphabetical order
      result.add(new Condition(since, d.message(), generation, d.reason(), d.status(), d.type()));
    }
    return result;
  }
}
