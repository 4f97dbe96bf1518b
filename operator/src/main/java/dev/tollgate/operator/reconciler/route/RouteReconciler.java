package dev.tollgate.operator.reconciler.route;

import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.api.v1alpha1.RouteStatus;
import dev.tollgate.operator.cluster.ClusterView;
import dev.tollgate.operator.cluster.EndpointResolution;
import dev.tollgate.operator.cluster.EndpointResolver;
import dev.tollgate.operator.reconciler.SnapshotStateEventSource;
import dev.tollgate.operator.reconciler.StatusPatcher;
import dev.tollgate.operator.snapshot.HostOwners;
import dev.tollgate.operator.snapshot.SnapshotState;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.operator.status.ProgrammedCondition;
import dev.tollgate.rules.HostOwnership;
import dev.tollgate.rules.Problem;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Rulebook;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reconciles a Route: resolves its Service and the Service's ready EndpointSlice endpoints, and
 * reports {@code Accepted} (the rulebook finds nothing wrong, backend resolvable) and {@code
 * Programmed} (in a stored config version, with the gateways' applied count), and lists the
 * policies that target it. It writes nothing but status: the snapshot is compiled elsewhere from
 * all resources at once. No finalizer, so deleting a Route never blocks.
 */
public final class RouteReconciler implements Reconciler<Route> {
  private final Rulebook rulebook;
  private final SnapshotState state;
  private final HostOwners hostOwners;
  private final StatusPatcher<Route, RouteStatus> status;
  private InformerEventSource<EndpointSlice, Route> slices;
  private InformerEventSource<RateLimitPolicy, Route> policies;

  /**
   * @param hostOwners the owners the snapshot compiler carries, so a status names the owner the
   *     snapshot serves
   */
  public RouteReconciler(
      Rulebook rulebook,
      SnapshotState state,
      HostOwners hostOwners,
      StatusPatcher<Route, RouteStatus> status) {
    this.rulebook = rulebook;
    this.state = state;
    this.hostOwners = hostOwners;
    this.status = status;
  }

  @Override
  public List<EventSource<?, Route>> prepareEventSources(EventSourceContext<Route> context) {
    context.getPrimaryCache().addIndexers(RouteServiceIndex.indexers());
    context.getPrimaryCache().addIndexers(RoutePolicies.indexers());
    RouteServiceIndex index = new RouteServiceIndex(context.getPrimaryCache());
    var services =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Service.class, Route.class)
                .withName("services")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(index.serviceToRoutes())
                .withPrimaryToSecondaryMapper(RouteServiceIndex.routeToService())
                .build(),
            context);
    slices =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(EndpointSlice.class, Route.class)
                .withName("endpointslices")
                .withNamespacesInheritedFromController()
                .withLabelSelector(ClusterView.SERVICE_NAME_LABEL)
                .withSecondaryToPrimaryMapper(index.endpointSliceToRoutes())
                .build(),
            context);
    // A policy that starts or stops targeting a Route changes the Route's status.policies.
    policies =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(RateLimitPolicy.class, Route.class)
                .withName("policies")
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(
                    new RoutePolicies(context.getPrimaryCache()).policyToRoutes())
                .build(),
            context);
    return List.of(
        services,
        slices,
        policies,
        new SnapshotStateEventSource<>(state, context.getPrimaryCache(), ResourceId.Kind.ROUTE));
  }

  @Override
  public UpdateControl<Route> reconcile(Route route, Context<Route> context) {
    if (!state.known()) {
      // the status as it stands until Redis has been heard from; that wakes every resource
      return UpdateControl.noUpdate();
    }
    EndpointResolution resolution = resolve(route, context);
    ResourceId id =
        ResourceId.route(route.getMetadata().getNamespace(), route.getMetadata().getName());
    // Judged as the snapshot compiler judges it: the spec with the endpoints it resolves to, and
    // its hosts against every Route's claims.
    List<Problem> problems =
        new ArrayList<>(
            rulebook.check(
                new SnapshotRoute(
                    id.namespace(), id.name(), route.getSpec(), resolution.endpoints())));
    HostOwnership owners =
        hostOwners.judge(
            context
                .getPrimaryCache()
                .list()
                .filter(r -> r.getSpec() != null)
                .map(
                    r ->
                        HostOwners.claim(
                            ResourceId.route(
                                r.getMetadata().getNamespace(), r.getMetadata().getName()),
                            r))
                .toList());
    problems.addAll(owners.conflicts(HostOwners.claim(id, route)));
    DesiredCondition accepted = RouteAcceptance.accepted(problems, resolution);
    DesiredCondition programmed =
        ProgrammedCondition.of(
            accepted,
            problems.isEmpty(),
            state.versionContaining(
                id, route.getMetadata().getUid(), route.getMetadata().getGeneration()),
            state.writeError(),
            version -> state.appliedCount(id, version));
    List<String> targeting =
        policies
            .list(route.getMetadata().getNamespace(), p -> RoutePolicies.targets(p, route))
            .map(p -> p.getMetadata().getName())
            .sorted()
            .toList();
    return status
        .patch(route, accepted, programmed, s -> s.withPolicies(targeting))
        .map(UpdateControl::patchStatus)
        .orElseGet(UpdateControl::noUpdate);
  }

  @Override
  public ErrorStatusUpdateControl<Route> updateErrorStatus(
      Route route, Context<Route> context, Exception e) {
    return status
        .errorPatch(route, e)
        .map(ErrorStatusUpdateControl::patchStatus)
        .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
  }

  private EndpointResolution resolve(Route route, Context<Route> context) {
    var backend = route.getSpec().getBackend();
    Optional<String> serviceName = RouteServiceIndex.serviceName(route);
    Optional<Service> service =
        serviceName.flatMap(n -> context.getSecondaryResource(Service.class));
    List<EndpointSlice> endpointSlices =
        serviceName
            .map(
                n ->
                    slices
                        .list(
                            route.getMetadata().getNamespace(),
                            s ->
                                n.equals(
                                    s.getMetadata()
                                        .getLabels()
                                        .get(ClusterView.SERVICE_NAME_LABEL)))
                        .toList())
            .orElse(List.of());
    return EndpointResolver.resolve(backend, service, endpointSlices);
  }
}
