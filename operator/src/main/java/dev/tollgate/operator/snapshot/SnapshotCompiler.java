package dev.tollgate.operator.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Rulebook;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles the whole snapshot from the cluster view: every Route (with its resolved endpoints) and
 * every RateLimitPolicy that the {@link Rulebook} accepts, sorted by namespace and name so equal
 * state renders to equal bytes. Routes whose backend does not resolve are kept with no endpoints
 * (the gateway answers 503, which tells a client more than a 404); policies whose targets are
 * missing are kept too (they attach to nothing until the Route appears, then work without another
 * write). A resource the rulebook refuses is left out: gateways judge by the same rules, so what is
 * written is what they serve; the resource's own status names the problem (its reconciler asks the
 * same rulebook).
 */
public final class SnapshotCompiler {
  private static final ObjectMapper JSON = ApiJson.mapper();
  private static final Comparator<HasMetadata> BY_NAMESPACE_AND_NAME =
      Comparator.comparing((HasMetadata r) -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName());

  private final ClusterView view;
  private final Rulebook rulebook;

  public SnapshotCompiler(ClusterView view, Rulebook rulebook) {
    this.view = view;
    this.rulebook = rulebook;
  }

  public CompiledSnapshot compile() {
    Map<ResourceId, SnapshotEntry> entries = new LinkedHashMap<>();
    List<SnapshotRoute> routes =
        view.routes().stream()
            .filter(r -> r.getSpec() != null)
            .sorted(BY_NAMESPACE_AND_NAME)
            .map(r -> Map.entry(r, route(r)))
            .filter(e -> rulebook.check(e.getValue()).isEmpty())
            .map(e -> record(entries, ResourceId.of(e.getValue()), e.getKey(), e.getValue()))
            .toList();
    List<SnapshotPolicy> policies =
        view.policies().stream()
            .sorted(BY_NAMESPACE_AND_NAME)
            .map(p -> Map.entry(p, new SnapshotPolicy(ns(p), name(p), p.getSpec())))
            .filter(e -> rulebook.check(e.getValue()).isEmpty())
            .map(e -> record(entries, ResourceId.of(e.getValue()), e.getKey(), e.getValue()))
            .toList();
    return new Compiled(routes, policies, entries);
  }

  private SnapshotRoute route(Route route) {
    var backend = route.getSpec().getBackend();
    var service =
        backend.getService() == null
            ? Optional.<io.fabric8.kubernetes.api.model.Service>empty()
            : view.service(ns(route), backend.getService().getName());
    var slices =
        backend.getService() == null
            ? List.<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice>of()
            : view.endpointSlices(ns(route), backend.getService().getName());
    return new SnapshotRoute(
        ns(route),
        name(route),
        route.getSpec(),
        EndpointResolver.resolve(backend, service, slices).endpoints());
  }

  private static <T> T record(
      Map<ResourceId, SnapshotEntry> entries, ResourceId key, HasMetadata resource, T entry) {
    Long generation = resource.getMetadata().getGeneration();
    entries.put(key, new SnapshotEntry(json(entry), generation == null ? 0 : generation));
    return entry;
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

  private record Compiled(
      List<SnapshotRoute> routes,
      List<SnapshotPolicy> policies,
      Map<ResourceId, SnapshotEntry> entries)
      implements CompiledSnapshot {

    @Override
    public String render(long version) {
      return json(new ConfigSnapshot(version, routes, policies));
    }

    @Override
    public int routeCount() {
      return routes.size();
    }

    @Override
    public int policyCount() {
      return policies.size();
    }
  }
}
