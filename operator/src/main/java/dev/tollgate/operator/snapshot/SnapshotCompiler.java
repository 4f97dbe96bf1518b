package dev.tollgate.operator.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.api.v1alpha1.RouteBackend;
import dev.tollgate.rules.Problem;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Rulebook;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * <p>Incremental: a resource whose uid, generation (and, for a Route, resolved endpoints) are those
 * of the previous compilation keeps its verdict and JSON, so with 20,000 resources an edit judges
 * and renders one. Not thread-safe: the snapshot sync compiles from its one thread.
 */
public final class SnapshotCompiler {
  private static final ObjectMapper JSON = ApiJson.mapper();
  private static final Comparator<HasMetadata> BY_NAMESPACE_AND_NAME =
      Comparator.comparing((HasMetadata r) -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName());

  private final ClusterView view;
  private final Rulebook rulebook;
  private Map<ResourceId, Compiled> previous = Map.of();

  /**
   * One resource as compiled: what it was compiled from, and its JSON or the rulebook's problems.
   */
  private record Compiled(
      String uid, long generation, List<String> endpoints, String json, List<Problem> problems) {
    boolean compiledFrom(HasMetadata resource, List<String> resolved) {
      return Objects.equals(uid, resource.getMetadata().getUid())
          && generation == SnapshotCompiler.generation(resource)
          && endpoints.equals(resolved);
    }
  }

  public SnapshotCompiler(ClusterView view, Rulebook rulebook) {
    this.view = view;
    this.rulebook = rulebook;
  }

  public CompiledSnapshot compile() {
    Map<ResourceId, SnapshotEntry> entries = new LinkedHashMap<>();
    Map<ResourceId, Compiled> next = new HashMap<>();
    int routes = 0;
    for (Route route : sorted(view.routes())) {
      if (route.getSpec() == null) {
        continue;
      }
      ResourceId id = ResourceId.route(ns(route), name(route));
      List<String> endpoints = endpoints(route);
      Compiled compiled = previous.get(id);
      if (compiled == null || !compiled.compiledFrom(route, endpoints)) {
        SnapshotRoute entry = new SnapshotRoute(ns(route), name(route), route.getSpec(), endpoints);
        compiled = compile(route, endpoints, entry, rulebook.check(entry));
      }
      next.put(id, compiled);
      if (compiled.problems().isEmpty()) {
        entries.put(id, new SnapshotEntry(compiled.json(), generation(route)));
        routes++;
      }
    }
    int policies = 0;
    for (RateLimitPolicy policy : sorted(view.policies())) {
      ResourceId id = ResourceId.policy(ns(policy), name(policy));
      Compiled compiled = previous.get(id);
      if (compiled == null || !compiled.compiledFrom(policy, List.of())) {
        SnapshotPolicy entry = new SnapshotPolicy(ns(policy), name(policy), policy.getSpec());
        compiled = compile(policy, List.of(), entry, rulebook.check(entry));
      }
      next.put(id, compiled);
      if (compiled.problems().isEmpty()) {
        entries.put(id, new SnapshotEntry(compiled.json(), generation(policy)));
        policies++;
      }
    }
    previous = next;
    return new CompiledSnapshot(entries, routes, policies);
  }

  private List<String> endpoints(Route route) {
    RouteBackend backend = route.getSpec().getBackend();
    if (backend == null) {
      return List.of();
    }
    Optional<Service> service =
        backend.getService() == null
            ? Optional.empty()
            : view.service(ns(route), backend.getService().getName());
    List<EndpointSlice> slices =
        backend.getService() == null
            ? List.of()
            : view.endpointSlices(ns(route), backend.getService().getName());
    return EndpointResolver.resolve(backend, service, slices).endpoints();
  }

  private static Compiled compile(
      HasMetadata resource, List<String> endpoints, Object entry, List<Problem> problems) {
    return new Compiled(
        resource.getMetadata().getUid(),
        generation(resource),
        endpoints,
        problems.isEmpty() ? json(entry) : null,
        problems);
  }

  private static <T extends HasMetadata> List<T> sorted(List<T> resources) {
    return resources.stream().sorted(BY_NAMESPACE_AND_NAME).toList();
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
