package dev.tollgate.operator.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.operator.cluster.ClusterChange;
import dev.tollgate.operator.cluster.ClusterView;
import dev.tollgate.operator.cluster.EndpointResolution;
import dev.tollgate.operator.gatewayapi.HttpRouteResolver;
import dev.tollgate.rules.HostOwnership;
import dev.tollgate.rules.Problem;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Rulebook;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Compiles every resource's entry from the cluster view: each Route (with its resolved endpoints)
 * and each RateLimitPolicy that the {@link Rulebook} accepts, in namespace and name order, each
 * rendered to JSON with the shared mapper (sorted keys), so equal state gives equal bytes. Routes
 * whose backend does not resolve are kept with no endpoints (the gateway answers 503, which tells a
 * client more than a 404); policies whose targets are missing are kept too (they attach to nothing
 * until the Route appears, then work without another write). A resource the rulebook refuses is
 * left out: gateways judge by the same rules, so what is written is what they serve; the resource's
 * own status names the problem (its reconciler asks the same rulebook).
 *
 * <p>Incremental: the informers report what changed ({@link #changed}) and a compilation recompiles
 * only that (a Route, a policy, or the Routes of a changed Service; every HTTPRoute when that is
 * the gateway Service, whose ports decide which listeners are valid); the others keep their verdict
 * and JSON. With 20,000 resources an edit judges and renders one. Every {@link #FULL_PASS_INTERVAL}
 * a compilation goes over everything, so nothing a lost event left behind lasts (and even then a
 * resource whose uid, generation and endpoints are unchanged is not rendered again). The first
 * compilation is a full one.
 *
 * <p>Host ownership ({@link Rulebook#hostOwners}) depends on every Route, so it is judged over all
 * compiled Routes at each compilation (a map of their hosts, cheap next to rendering one entry): a
 * Route that lists a host another namespace owns is left out, and takes its place once the owner's
 * Routes no longer list it. Owners carry from one compilation to the next ({@link HostOwners}).
 *
 * <p>{@link #changed} may be called from any thread; {@link #compile} from one thread at a time
 * (the snapshot sync's).
 */
public final class SnapshotCompiler {
  static final Duration FULL_PASS_INTERVAL = Duration.ofSeconds(30);

  private static final ObjectMapper JSON = ApiJson.mapper();
  private static final Comparator<ResourceId> BY_NAMESPACE_AND_NAME =
      Comparator.comparing(ResourceId::namespace).thenComparing(ResourceId::name);

  private final ClusterView view;
  private final Rulebook rulebook;
  private final HostOwners hostOwners;
  private final Map<ResourceId, Compiled> routes = new TreeMap<>(BY_NAMESPACE_AND_NAME);
  private final Map<ResourceId, Compiled> policies = new TreeMap<>(BY_NAMESPACE_AND_NAME);
  private final Map<ServiceKey, Set<ResourceId>> routesByService = new HashMap<>();
  private final Optional<HttpRouteResolver> httpRouteResolver;
  private final Map<ResourceId, HttpCompiled> httpRoutes = new TreeMap<>(BY_NAMESPACE_AND_NAME);
  private Set<ClusterChange> pending = new HashSet<>();
  private boolean everything = true;
  private long lastFullPass;

  /**
   * One resource as compiled: what it was compiled from, its JSON or the rulebook's problems, and
   * (a Route) the Service it resolves through and the hosts it claims since its creation.
   */
  private record Compiled(
      String uid,
      long generation,
      List<String> endpoints,
      String appProtocol,
      String json,
      List<Problem> problems,
      ServiceKey service,
      HostOwnership.Claim claim) {
    boolean compiledFrom(HasMetadata resource, List<String> resolved, String resolvedProtocol) {
      return Objects.equals(uid, resource.getMetadata().getUid())
          && generation == SnapshotCompiler.generation(resource)
          && endpoints.equals(resolved)
          && Objects.equals(appProtocol, resolvedProtocol);
    }
  }

  private record ServiceKey(String namespace, String name) {}

  /** An HTTPRoute as resolved: its uid, its entry's JSON when served, and the whole resolution. */
  private record HttpCompiled(String uid, String json, HttpRouteResolver.Resolution resolution) {}

  /**
   * @param httpRoutes resolves HTTPRoutes (present where the Gateway API CRDs are installed)
   */
  public SnapshotCompiler(
      ClusterView view, Rulebook rulebook, Optional<HttpRouteResolver> httpRoutes) {
    this.view = view;
    this.rulebook = rulebook;
    this.hostOwners = new HostOwners(rulebook);
    this.httpRouteResolver = httpRoutes;
  }

  public SnapshotCompiler(ClusterView view, Rulebook rulebook) {
    this(view, rulebook, Optional.empty());
  }

  /**
   * Notes what an informer saw change; the next compilation recompiles what it concerns. Nothing is
   * noted while a full pass is due, which covers every change: so a standby, whose informers run
   * but which compiles nothing until it leads, keeps no note of each resource that ever changed.
   */
  public synchronized void changed(ClusterChange change) {
    if (!everything) {
      pending.add(change);
    }
  }

  /** Changes noted for the next compilation. */
  synchronized int pendingChanges() {
    return pending.size();
  }

  public CompiledSnapshot compile() {
    Set<ClusterChange> changes;
    boolean full;
    long now = System.nanoTime();
    synchronized (this) {
      changes = pending;
      pending = new HashSet<>();
      full = everything || now - lastFullPass > FULL_PASS_INTERVAL.toNanos();
      everything = false;
    }
    if (full) {
      fullPass();
      lastFullPass = now;
    } else {
      changes.forEach(this::recompile);
    }
    return snapshot();
  }

  private void fullPass() {
    Set<ResourceId> seenRoutes = new HashSet<>();
    for (Route route : view.routes()) {
      ResourceId id = ResourceId.route(ns(route), name(route));
      seenRoutes.add(id);
      recompileRoute(id, Optional.of(route));
    }
    List.copyOf(routes.keySet()).stream()
        .filter(id -> !seenRoutes.contains(id))
        .forEach(id -> recompileRoute(id, Optional.empty()));
    Set<ResourceId> seenPolicies = new HashSet<>();
    for (RateLimitPolicy policy : view.policies()) {
      ResourceId id = ResourceId.policy(ns(policy), name(policy));
      seenPolicies.add(id);
      recompilePolicy(id, Optional.of(policy));
    }
    policies.keySet().removeIf(id -> !seenPolicies.contains(id));
    recompileAllHttpRoutes();
  }

  private void recompileAllHttpRoutes() {
    if (httpRouteResolver.isEmpty()) {
      return;
    }
    Set<ResourceId> seen = new HashSet<>();
    for (HTTPRoute route : view.httpRoutes()) {
      ResourceId id = ResourceId.httpRoute(ns(route), name(route));
      seen.add(id);
      recompileHttpRoute(id, Optional.of(route));
    }
    httpRoutes.keySet().removeIf(id -> !seen.contains(id));
  }

  private void recompileHttpRoute(ResourceId id, Optional<HTTPRoute> current) {
    if (current.isEmpty() || current.get().getSpec() == null || httpRouteResolver.isEmpty()) {
      httpRoutes.remove(id);
      return;
    }
    HTTPRoute route = current.get();
    HttpRouteResolver.Resolution resolution = httpRouteResolver.get().resolve(route);
    httpRoutes.put(
        id,
        new HttpCompiled(
            route.getMetadata().getUid(),
            resolution.entry().map(SnapshotCompiler::json).orElse(null),
            resolution));
  }

  /**
   * What the last compilation resolved for every HTTPRoute, by {@code namespace/name}: the Gateway
   * API statuses follow from it. Call it from the compiling thread, after {@link #compile}.
   */
  public Map<String, HttpRouteResolver.Resolution> httpRouteResolutions() {
    Map<String, HttpRouteResolver.Resolution> all = new HashMap<>();
    httpRoutes.forEach((id, c) -> all.put(id.namespace() + "/" + id.name(), c.resolution()));
    return all;
  }

  private void recompile(ClusterChange change) {
    switch (change.kind()) {
      case ROUTE -> {
        ResourceId id = ResourceId.route(change.namespace(), change.name());
        recompileRoute(id, view.route(change.namespace(), change.name()));
      }
      case POLICY -> {
        ResourceId id = ResourceId.policy(change.namespace(), change.name());
        recompilePolicy(id, view.policy(change.namespace(), change.name()));
      }
      case SERVICE -> {
        Set<ResourceId> affected =
            routesByService.getOrDefault(
                new ServiceKey(change.namespace(), change.name()), Set.of());
        for (ResourceId id : List.copyOf(affected)) {
          recompileRoute(id, view.route(id.namespace(), id.name()));
        }
        HttpRouteResolver.ServiceKey service =
            new HttpRouteResolver.ServiceKey(change.namespace(), change.name());
        for (Map.Entry<ResourceId, HttpCompiled> e : List.copyOf(httpRoutes.entrySet())) {
          if (e.getValue().resolution().services().contains(service)) {
            recompileHttpRoute(
                e.getKey(), view.httpRoute(e.getKey().namespace(), e.getKey().name()));
          }
        }
      }
      case HTTP_ROUTE -> {
        ResourceId id = ResourceId.httpRoute(change.namespace(), change.name());
        recompileHttpRoute(id, view.httpRoute(change.namespace(), change.name()));
      }
      case GATEWAY_API -> recompileAllHttpRoutes();
      case LISTENER_CERTIFICATE -> {
        // no entry depends on it: the sync runs only to publish the Gateway API status and bundle
      }
    }
  }

  private void recompileRoute(ResourceId id, Optional<Route> current) {
    Compiled previous = routes.remove(id);
    if (previous != null && previous.service() != null) {
      Set<ResourceId> ofService = routesByService.get(previous.service());
      ofService.remove(id);
      if (ofService.isEmpty()) {
        routesByService.remove(previous.service());
      }
    }
    if (current.isEmpty() || current.get().getSpec() == null) {
      return;
    }
    Route route = current.get();
    EndpointResolution resolution = view.resolve(ns(route), route.getSpec().getBackend());
    List<String> endpoints = resolution.endpoints();
    String appProtocol = resolution.appProtocol();
    Compiled compiled = previous;
    if (compiled == null || !compiled.compiledFrom(route, endpoints, appProtocol)) {
      SnapshotRoute entry =
          new SnapshotRoute(ns(route), name(route), route.getSpec(), endpoints, appProtocol);
      compiled =
          compile(
              route,
              endpoints,
              appProtocol,
              entry,
              rulebook.check(entry),
              service(route),
              HostOwners.claim(id, route));
    }
    routes.put(id, compiled);
    if (compiled.service() != null) {
      routesByService.computeIfAbsent(compiled.service(), s -> new HashSet<>()).add(id);
    }
  }

  private void recompilePolicy(ResourceId id, Optional<RateLimitPolicy> current) {
    if (current.isEmpty()) {
      policies.remove(id);
      return;
    }
    RateLimitPolicy policy = current.get();
    Compiled compiled = policies.get(id);
    if (compiled == null || !compiled.compiledFrom(policy, List.of(), null)) {
      SnapshotPolicy entry = new SnapshotPolicy(ns(policy), name(policy), policy.getSpec());
      compiled = compile(policy, List.of(), null, entry, rulebook.check(entry), null, null);
    }
    policies.put(id, compiled);
  }

  /** Who owns which host, as the compilations judge it. */
  public HostOwners hostOwners() {
    return hostOwners;
  }

  private CompiledSnapshot snapshot() {
    HostOwnership owners =
        hostOwners.judgeAndRecord(routes.values().stream().map(Compiled::claim).toList());
    Map<ResourceId, SnapshotEntry> entries = new LinkedHashMap<>();
    int routeCount =
        accepted(routes, entries, (id, route) -> owners.conflicts(route.claim()).isEmpty());
    int policyCount = accepted(policies, entries, (id, policy) -> true);
    for (Map.Entry<ResourceId, HttpCompiled> e : httpRoutes.entrySet()) {
      if (e.getValue().json() != null) {
        entries.put(
            e.getKey(),
            new SnapshotEntry(
                e.getValue().json(), e.getValue().uid(), e.getValue().resolution().generation()));
        routeCount++;
      }
    }
    return new CompiledSnapshot(entries, routeCount, policyCount);
  }

  private static int accepted(
      Map<ResourceId, Compiled> compiled,
      Map<ResourceId, SnapshotEntry> entries,
      BiPredicate<ResourceId, Compiled> owned) {
    int count = 0;
    for (Map.Entry<ResourceId, Compiled> e : compiled.entrySet()) {
      if (e.getValue().problems().isEmpty() && owned.test(e.getKey(), e.getValue())) {
        entries.put(
            e.getKey(),
            new SnapshotEntry(e.getValue().json(), e.getValue().uid(), e.getValue().generation()));
        count++;
      }
    }
    return count;
  }

  private static ServiceKey service(Route route) {
    RouteBackend backend = route.getSpec().getBackend();
    return backend == null || backend.getService() == null
        ? null
        : new ServiceKey(ns(route), backend.getService().getName());
  }

  private static Compiled compile(
      HasMetadata resource,
      List<String> endpoints,
      String appProtocol,
      Object entry,
      List<Problem> problems,
      ServiceKey service,
      HostOwnership.Claim claim) {
    return new Compiled(
        resource.getMetadata().getUid(),
        generation(resource),
        endpoints,
        appProtocol,
        problems.isEmpty() ? json(entry) : null,
        problems,
        service,
        claim);
  }

  private static long generation(HasMetadata resource) {
    Long generation = resource.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private static String ns(HasMetadata resource) {
    return resource.getMetadata().getNamespace();
  }

  private static String name(HasMetadata resource) {
    return resource.getMetadata().getName();
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
