package dev.tollgate.operator.gatewayapi;

import dev.tollgate.api.snapshot.SnapshotHttpRoute;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.api.v1alpha1.ServiceRef;
import dev.tollgate.operator.cluster.ClusterView;
import dev.tollgate.operator.cluster.EndpointResolution;
import dev.tollgate.operator.cluster.EndpointResolver;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.rules.Problem;
import dev.tollgate.rules.Rulebook;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves one HTTPRoute against the cluster: to which Gateways of Tollgate's class it attaches
 * (each parentRef: the Gateway, its listeners by {@code sectionName} and {@code port}, what they
 * allow, whether a hostname intersects), what its backendRefs resolve to (a Service in the route's
 * namespace, or in another one that a ReferenceGrant opens to HTTPRoutes of this namespace; either
 * way held to the tenancy rules of a Route's backend, a backend they forbid refused on its own),
 * and what the rulebook says about it. The result is the route's snapshot entry, if it is served,
 * and the {@code Accepted} and {@code ResolvedRefs} of every parent that is Tollgate's, with the
 * reasons the Gateway API defines. Pure given the cluster view; used by the snapshot compiler,
 * whose result the status writer publishes, so what is served and what the status says never
 * disagree.
 */
public final class HttpRouteResolver {
  private final ClusterView view;
  private final Listeners listeners;
  private final Rulebook rulebook;
  private final ReferenceGrants grants;

  public HttpRouteResolver(ClusterView view, Listeners listeners, Rulebook rulebook) {
    this.view = view;
    this.listeners = listeners;
    this.rulebook = rulebook;
    this.grants = new ReferenceGrants(view);
  }

  /** A Service a route's backends resolve through (a change of it resolves the route anew). */
  public record ServiceKey(String namespace, String name) {}

  /**
   * The status of one of the route's parentRefs that is a Gateway of Tollgate's class.
   *
   * @param gateway {@code namespace/name}
   * @param listeners the names of the listeners the route is attached to (none unless accepted)
   */
  public record Parent(
      ParentReference ref,
      String gateway,
      List<String> listeners,
      DesiredCondition accepted,
      DesiredCondition resolvedRefs) {}

  /**
   * @param generation the route's {@code metadata.generation} it was resolved from: the status may
   *     be written after the route changed again, and its conditions must name this one
   * @param entry what the gateways serve; empty when no parent accepted it or the rulebook refused
   * @param parents Tollgate's parents, in parentRef order
   * @param services every Service the resolution read: those backendRefs name and the gateway
   *     Service, whose ports decide which listeners the route may attach to
   */
  public record Resolution(
      long generation,
      Optional<SnapshotHttpRoute> entry,
      List<Parent> parents,
      Set<ServiceKey> services,
      List<Problem> problems) {}

  public Resolution resolve(HTTPRoute route) {
    String namespace = route.getMetadata().getNamespace();
    List<String> routeHosts =
        route.getSpec().getHostnames() == null ? List.of() : route.getSpec().getHostnames();
    Set<ServiceKey> services = new LinkedHashSet<>();
    listeners
        .addressServiceName()
        .ifPresent(s -> services.add(new ServiceKey(s.namespace(), s.name())));
    List<DesiredCondition> refProblems = new ArrayList<>();
    List<SnapshotHttpRoute.Rule> rules = rules(route, namespace, services, refProblems);
    DesiredCondition resolvedRefs =
        refProblems.isEmpty()
            ? DesiredCondition.isTrue(
                GatewayApiNames.RESOLVED_REFS,
                GatewayApiNames.REASON_RESOLVED_REFS,
                "all backendRefs resolved")
            : refProblems.getFirst();

    List<Attachment> attachments = new ArrayList<>();
    for (ParentReference ref : parentRefs(route)) {
      attach(ref, namespace, routeHosts).ifPresent(attachments::add);
    }
    boolean anyHost = false;
    Set<String> hosts = new LinkedHashSet<>();
    Set<String> gateways = new LinkedHashSet<>();
    for (Attachment a : attachments) {
      if (a.hosts().isPresent()) {
        gateways.add(a.gateway());
        anyHost |= a.hosts().get().isEmpty();
        hosts.addAll(a.hosts().get());
      }
    }
    SnapshotHttpRoute entry =
        new SnapshotHttpRoute(
            namespace,
            route.getMetadata().getName(),
            route.getMetadata().getCreationTimestamp(),
            anyHost ? List.of() : List.copyOf(hosts),
            List.copyOf(gateways),
            rules);
    List<Problem> problems = rulebook.check(entry);
    List<Parent> parents = new ArrayList<>();
    for (Attachment a : attachments) {
      DesiredCondition accepted = a.accepted();
      if (a.hosts().isPresent() && !problems.isEmpty()) {
        accepted =
            DesiredCondition.isFalse(
                GatewayApiNames.ACCEPTED,
                GatewayApiNames.UNSUPPORTED_VALUE,
                Problem.summary(problems));
      }
      parents.add(
          new Parent(
              a.ref(),
              a.gateway(),
              accepted.isFalse() ? List.of() : a.listeners(),
              accepted,
              resolvedRefs));
    }
    boolean served = !gateways.isEmpty() && problems.isEmpty();
    return new Resolution(
        GatewayApiConditions.generation(route),
        served ? Optional.of(entry) : Optional.empty(),
        parents,
        services,
        problems);
  }

  /** One parentRef to a Gateway of ours; {@code hosts} present when the route attached. */
  private record Attachment(
      ParentReference ref,
      String gateway,
      List<String> listeners,
      Optional<List<String>> hosts,
      DesiredCondition accepted) {}

  private static List<ParentReference> parentRefs(HTTPRoute route) {
    return route.getSpec().getParentRefs() == null ? List.of() : route.getSpec().getParentRefs();
  }

  private Optional<Attachment> attach(
      ParentReference ref, String namespace, List<String> routeHosts) {
    String group = ref.getGroup() == null ? GatewayApiNames.GROUP : ref.getGroup();
    String kind = ref.getKind() == null ? GatewayApiNames.GATEWAY : ref.getKind();
    if (!GatewayApiNames.GROUP.equals(group) || !GatewayApiNames.GATEWAY.equals(kind)) {
      return Optional.empty();
    }
    String gatewayNamespace = ref.getNamespace() == null ? namespace : ref.getNamespace();
    Optional<Gateway> gateway = view.gateway(gatewayNamespace, ref.getName());
    if (gateway.isEmpty() || !listeners.ours(gateway.get())) {
      return Optional.empty();
    }
    String key = gatewayNamespace + "/" + ref.getName();
    List<Listener> candidates =
        Optional.ofNullable(gateway.get().getSpec().getListeners()).orElse(List.of()).stream()
            .filter(l -> ref.getSectionName() == null || ref.getSectionName().equals(l.getName()))
            .filter(l -> ref.getPort() == null || ref.getPort().equals(l.getPort()))
            .toList();
    if (candidates.isEmpty()) {
      return Optional.of(
          rejected(
              ref,
              key,
              GatewayApiNames.NO_MATCHING_PARENT,
              "Gateway " + key + " has no listener that matches sectionName and port"));
    }
    List<Listener> allowed =
        candidates.stream()
            .filter(l -> listeners.invalid(l).isEmpty())
            .filter(Listeners::allowsHttpRoutes)
            .filter(l -> listeners.allowsNamespace(l, gatewayNamespace, namespace))
            .toList();
    if (allowed.isEmpty()) {
      return Optional.of(
          rejected(
              ref,
              key,
              GatewayApiNames.NOT_ALLOWED_BY_LISTENERS,
              "no listener of Gateway " + key + " allows HTTPRoutes from namespace " + namespace));
    }
    List<String> attachedTo = new ArrayList<>();
    boolean anyHost = false;
    Set<String> hosts = new LinkedHashSet<>();
    for (Listener listener : allowed) {
      Optional<List<String>> served =
          Hostnames.intersect(Optional.ofNullable(listener.getHostname()), routeHosts);
      if (served.isPresent()) {
        attachedTo.add(listener.getName());
        anyHost |= served.get().isEmpty();
        hosts.addAll(served.get());
      }
    }
    if (attachedTo.isEmpty()) {
      return Optional.of(
          rejected(
              ref,
              key,
              GatewayApiNames.NO_MATCHING_LISTENER_HOSTNAME,
              "no hostname of the route matches a listener of Gateway " + key));
    }
    return Optional.of(
        new Attachment(
            ref,
            key,
            attachedTo,
            Optional.of(anyHost ? List.of() : List.copyOf(hosts)),
            DesiredCondition.isTrue(
                GatewayApiNames.ACCEPTED,
                GatewayApiNames.REASON_ACCEPTED,
                "attached to Gateway " + key + " listener " + String.join(", ", attachedTo))));
  }

  private static Attachment rejected(
      ParentReference ref, String gateway, String reason, String message) {
    return new Attachment(
        ref,
        gateway,
        List.of(),
        Optional.empty(),
        DesiredCondition.isFalse(GatewayApiNames.ACCEPTED, reason, message));
  }

  private List<SnapshotHttpRoute.Rule> rules(
      HTTPRoute route,
      String namespace,
      Set<ServiceKey> services,
      List<DesiredCondition> refProblems) {
    List<SnapshotHttpRoute.Rule> rules = new ArrayList<>();
    for (HTTPRouteRule rule : Optional.ofNullable(route.getSpec().getRules()).orElse(List.of())) {
      List<SnapshotHttpRoute.Backend> backends = new ArrayList<>();
      for (HTTPBackendRef ref : Optional.ofNullable(rule.getBackendRefs()).orElse(List.of())) {
        backends.add(backend(ref, namespace, services, refProblems));
      }
      rules.add(
          new SnapshotHttpRoute.Rule(
              rule.getName(), rule.getMatches(), rule.getFilters(), backends));
    }
    return rules;
  }

  private SnapshotHttpRoute.Backend backend(
      HTTPBackendRef ref,
      String namespace,
      Set<ServiceKey> services,
      List<DesiredCondition> refProblems) {
    int weight = ref.getWeight() == null ? 1 : ref.getWeight();
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String kind = ref.getKind() == null ? GatewayApiNames.SERVICE : ref.getKind();
    String refNamespace = ref.getNamespace() == null ? namespace : ref.getNamespace();
    String label = refNamespace + "/" + ref.getName() + ":" + ref.getPort();
    if (!group.isEmpty() || !GatewayApiNames.SERVICE.equals(kind)) {
      return unusable(
          label,
          weight,
          refProblems,
          GatewayApiNames.INVALID_KIND,
          "backendRef "
              + label
              + ": kind "
              + (group.isEmpty() ? "" : group + "/")
              + kind
              + " is not supported; only Services are");
    }
    if (!refNamespace.equals(namespace)
        && !grants.permit(
            GatewayApiNames.HTTP_ROUTE,
            namespace,
            GatewayApiNames.SERVICE,
            refNamespace,
            ref.getName())) {
      return unusable(
          label,
          weight,
          refProblems,
          GatewayApiNames.REF_NOT_PERMITTED,
          "backendRef "
              + label
              + ": no ReferenceGrant in namespace "
              + refNamespace
              + " allows HTTPRoutes from "
              + namespace);
    }
    services.add(new ServiceKey(refNamespace, ref.getName()));
    Optional<Service> service = view.service(refNamespace, ref.getName());
    RouteBackend target = new RouteBackend();
    target.setService(new ServiceRef(ref.getName(), ref.getPort() == null ? 0 : ref.getPort()));
    EndpointResolution resolution =
        EndpointResolver.resolve(target, service, view.endpointSlices(refNamespace, ref.getName()));
    if (resolution.outcome() == EndpointResolution.Outcome.SERVICE_NOT_FOUND
        || resolution.outcome() == EndpointResolution.Outcome.PORT_NOT_FOUND) {
      return unusable(
          label,
          weight,
          refProblems,
          GatewayApiNames.BACKEND_NOT_FOUND,
          "backendRef " + label + ": " + resolution.detail());
    }
    // The tenancy rules hold an HTTPRoute's backends as they hold a Route's (no ExternalName or
    // FQDN backends outside the allowed namespaces, never the gateway's own Services).
    List<Problem> forbidden =
        rulebook.checkServiceBackend(
            namespace, refNamespace, ref.getName(), resolution.endpoints());
    if (!forbidden.isEmpty()) {
      return unusable(
          label,
          weight,
          refProblems,
          GatewayApiNames.REF_NOT_PERMITTED,
          "backendRef " + label + ": " + Problem.summary(forbidden));
    }
    return new SnapshotHttpRoute.Backend(label, weight, resolution.endpoints(), null);
  }

  private static SnapshotHttpRoute.Backend unusable(
      String label, int weight, List<DesiredCondition> refProblems, String reason, String message) {
    refProblems.add(DesiredCondition.isFalse(GatewayApiNames.RESOLVED_REFS, reason, message));
    return new SnapshotHttpRoute.Backend(label, weight, List.of(), reason + ": " + message);
  }
}
