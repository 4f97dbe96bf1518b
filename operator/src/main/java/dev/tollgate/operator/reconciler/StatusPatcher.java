package dev.tollgate.operator.reconciler;

import dev.tollgate.api.common.Condition;
import dev.tollgate.api.common.ConditionReason;
import dev.tollgate.api.common.ConditionType;
import dev.tollgate.api.v1alpha1.ResourceStatus;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.operator.status.StatusConditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Builds the status patch both reconcilers return: conditions merged with the previous ones ({@link
 * StatusConditions}), {@code observedGeneration} set, nothing patched when nothing changed, and the
 * patch carried by a fresh object holding only name, namespace and status, so the server-side apply
 * never claims spec or metadata fields. A Warning Event is recorded when Accepted turns False or
 * changes its reason while False.
 */
public final class StatusPatcher<P extends CustomResource<?, S>, S extends ResourceStatus> {
  private final StatusConditions conditions;
  private final ProblemEvents events;
  private final Supplier<P> fresh;
  private final StatusFactory<P, S> status;

  /** Builds a kind's status object from the resource, its generation and the conditions. */
  @FunctionalInterface
  public interface StatusFactory<P, S> {
    S create(P resource, long observedGeneration, List<Condition> conditions);
  }

  public StatusPatcher(
      StatusConditions conditions,
      ProblemEvents events,
      Supplier<P> fresh,
      StatusFactory<P, S> status) {
    this.conditions = conditions;
    this.events = events;
    this.fresh = fresh;
    this.status = status;
  }

  /** The patch to apply, or empty when the resource's status already says exactly this. */
  public Optional<P> patch(P resource, DesiredCondition accepted, DesiredCondition programmed) {
    return patch(resource, accepted, programmed, UnaryOperator.identity());
  }

  /**
   * As {@link #patch(CustomResource, DesiredCondition, DesiredCondition)}, with more fields of the
   * kind's status set by {@code extra}.
   */
  public Optional<P> patch(
      P resource, DesiredCondition accepted, DesiredCondition programmed, UnaryOperator<S> extra) {
    long generation = Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L);
    List<Condition> previous =
        resource.getStatus() == null ? List.of() : resource.getStatus().getConditions();
    S next =
        extra.apply(
            status.create(
                resource,
                generation,
                conditions.merge(previous, generation, List.of(accepted, programmed))));
    if (next.equals(resource.getStatus())) {
      return Optional.empty();
    }
    if (accepted.isFalse() && becameProblem(resource.getStatus(), accepted)) {
      events.warn(resource, accepted);
    }
    P patch = fresh.get();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .build());
    patch.setStatus(next);
    return Optional.of(patch);
  }

  /**
   * The patch for a reconcile that failed: both conditions Unknown, carrying the exception. None
   * when the reconcile was interrupted by the operator shutting down: that says nothing about the
   * resource, and the patch itself would fail the same way.
   */
  public Optional<P> errorPatch(P resource, Exception e) {
    if (interrupted(e)) {
      return Optional.empty();
    }
    return patch(
        resource,
        DesiredCondition.unknown(
            ConditionType.ACCEPTED, ConditionReason.RECONCILE_ERROR, e.toString()),
        DesiredCondition.unknown(
            ConditionType.PROGRAMMED, ConditionReason.RECONCILE_ERROR, e.toString()));
  }

  private static boolean interrupted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  private static boolean becameProblem(ResourceStatus before, DesiredCondition accepted) {
    return before == null
        || before
            .condition(ConditionType.ACCEPTED)
            .map(
                c ->
                    !c.getStatus().equals(accepted.status())
                        || !Objects.equals(c.getReason(), accepted.reason()))
            .orElse(true);
  }
}
