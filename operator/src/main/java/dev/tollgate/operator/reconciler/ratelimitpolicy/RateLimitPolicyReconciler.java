package dev.tollgate.operator.reconciler.ratelimitpolicy;

import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.RateLimitPolicyStatus;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.operator.reconciler.SnapshotStateEventSource;
import dev.tollgate.operator.reconciler.StatusPatcher;
import dev.tollgate.operator.snapshot.SnapshotState;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.operator.status.ProgrammedCondition;
import dev.tollgate.rules.Problem;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Rulebook;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles a RateLimitPolicy: judges it by the rulebook and checks that each targetRef names a
 * Route, HTTPRoute (rule) or Gateway in the policy's namespace ({@code Accepted}), and reports
 * {@code Programmed}. A target appearing, changing or disappearing wakes the policies that target
 * it. Status only, no finalizer.
 */
public final class RateLimitPolicyReconciler implements Reconciler<RateLimitPolicy> {
  private final Rulebook rulebook;
  private final SnapshotState state;
  private final StatusPatcher<RateLimitPolicy, RateLimitPolicyStatus> status;
  private final GatewayApiTargets gatewayApiTargets;
  private final GatewayApiTargetEventSource gatewayApiTargetEvents;

  /**
   * @param gatewayApiTargetEvents told by the snapshot's informers what changed
   */
  public RateLimitPolicyReconciler(
      Rulebook rulebook,
      SnapshotState state,
      StatusPatcher<RateLimitPolicy, RateLimitPolicyStatus> status,
      GatewayApiTargets gatewayApiTargets,
      GatewayApiTargetEventSource gatewayApiTargetEvents) {
    this.rulebook = rulebook;
    this.state = state;
    this.status = status;
    this.gatewayApiTargets = gatewayApiTargets;
    this.gatewayApiTargetEvents = gatewayApiTargetEvents;
  }

  @Override
  public List<EventSource<?, RateLimitPolicy>> prepareEventSources(
      EventSourceContext<RateLimitPolicy> context) {
    context.getPrimaryCache().addIndexers(PolicyTargetIndex.indexers());
    PolicyTargetIndex index = new PolicyTargetIndex(context.getPrimaryCache());
    var routes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Route.class, RateLimitPolicy.class)
                .withName("routes")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(index.routeToPolicies())
                .withPrimaryToSecondaryMapper(PolicyTargetIndex.policyToRoutes())
                .build(),
            context);
    gatewayApiTargetEvents.use(index);
    return List.of(
        routes,
        gatewayApiTargetEvents,
        new SnapshotStateEventSource<>(
            state, context.getPrimaryCache(), ResourceId.Kind.RATE_LIMIT_POLICY));
  }

  @Override
  public UpdateControl<RateLimitPolicy> reconcile(
      RateLimitPolicy policy, Context<RateLimitPolicy> context) {
    if (!state.known()) {
      // the status as it stands until Redis has been heard from; that wakes every resource
      return UpdateControl.noUpdate();
    }
    Set<String> routes =
        context.getSecondaryResources(Route.class).stream()
            .map(r -> r.getMetadata().getName())
            .collect(Collectors.toSet());
    ResourceId id =
        ResourceId.policy(policy.getMetadata().getNamespace(), policy.getMetadata().getName());
    List<Problem> problems =
        rulebook.check(new SnapshotPolicy(id.namespace(), id.name(), policy.getSpec()));
    DesiredCondition accepted =
        PolicyAcceptance.accepted(
            id.namespace(),
            policy.getSpec(),
            problems,
            target ->
                target.getKind() == TargetRef.Kind.ROUTE
                    ? routes.contains(target.getName())
                    : gatewayApiTargets.exists(id.namespace(), target));
    DesiredCondition programmed =
        ProgrammedCondition.of(
            accepted,
            problems.isEmpty(),
            state.versionContaining(
                id, policy.getMetadata().getUid(), policy.getMetadata().getGeneration()),
            state.writeError(),
            version -> state.appliedCount(id, version));
    return status
        .patch(policy, accepted, programmed)
        .map(UpdateControl::patchStatus)
        .orElseGet(UpdateControl::noUpdate);
  }

  @Override
  public ErrorStatusUpdateControl<RateLimitPolicy> updateErrorStatus(
      RateLimitPolicy policy, Context<RateLimitPolicy> context, Exception e) {
    return status
        .errorPatch(policy, e)
        .map(ErrorStatusUpdateControl::patchStatus)
        .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
  }
}
