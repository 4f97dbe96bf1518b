package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotHttpRoute;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.gateway.backend.EndpointPools;
import dev.tollgate.gateway.route.CompiledRoute;
import dev.tollgate.gateway.route.RouteTable;
import dev.tollgate.rules.Problem;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Rulebook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a {@link ConfigSnapshot} (from either source) into a {@link GatewayConfig}, one resource at
 * a time: each is judged by the {@link Rulebook} (the operator's rules) and then compiled; a
 * resource with problems is left out and recorded in the result's {@link Rejections}, everything
 * else goes into the configuration. Whether a rejection refuses the whole load is the {@link
 * ConfigApplier}'s decision. A policy whose target Route is absent (or rejected) attaches to
 * nothing.
 *
 * <p>Incremental: a route the previous compilation saw unchanged (the same entry, or an equal one)
 * keeps its verdict and compiled form, so an edit among 10,000 routes judges and compiles one. Not
 * thread-safe: the {@link ConfigApplier} calls it under its lock.
 */
public final class ConfigCompiler {
  private final Rulebook rulebook;
  private final RouteCompiler routes;
  private final List<ConfigExtension<?>> extensions;
  private Map<ResourceId, Verdict<SnapshotRoute, CompiledRoute>> routeVerdicts = Map.of();
  private Map<ResourceId, Verdict<SnapshotPolicy, SnapshotPolicy>> policyVerdicts = Map.of();
  private Map<ResourceId, Verdict<SnapshotHttpRoute, List<CompiledRoute>>> httpRouteVerdicts =
      Map.of();
  private final HttpRouteCompiler httpRoutes;

  /** What the rulebook and the compiler made of one entry: the compiled form, or the problems. */
  private record Verdict<S, C>(S source, C compiled, List<Problem> problems) {
    boolean sameSource(S other) {
      return source == other || source.equals(other);
    }
  }

  public ConfigCompiler(
      Rulebook rulebook, EndpointPools pools, List<ConfigExtension<?>> extensions) {
    this.rulebook = rulebook;
    this.routes = new RouteCompiler(pools);
    this.httpRoutes = new HttpRouteCompiler(routes);
    this.extensions = List.copyOf(extensions);
  }

  /**
   * @param unreadable resources the source could not even read (left out like rejected ones)
   */
  public GatewayConfig compile(ConfigSnapshot snapshot, String origin, Rejections unreadable) {
    Rejections rejections = new Rejections();
    unreadable.byResource().forEach(rejections::add);
    Set<ResourceId> seen = new HashSet<>(unreadable.byResource().keySet());
    List<SnapshotRoute> acceptedRoutes = new ArrayList<>();
    List<CompiledRoute> compiled = new ArrayList<>();
    Map<ResourceId, Verdict<SnapshotRoute, CompiledRoute>> nextRoutes = new HashMap<>();
    for (SnapshotRoute route : snapshot.routes()) {
      ResourceId id = ResourceId.of(route);
      if (!seen.add(id)) {
        rejections.add(id, DUPLICATE);
        continue;
      }
      Verdict<SnapshotRoute, CompiledRoute> verdict = routeVerdicts.get(id);
      if (verdict == null || !verdict.sameSource(route)) {
        verdict = judge(route, rulebook::check, r -> routes.compile(r, 0));
      }
      nextRoutes.put(id, verdict);
      if (!verdict.problems().isEmpty()) {
        rejections.add(id, verdict.problems());
      } else {
        compiled.add(verdict.compiled().inPosition(compiled.size()));
        acceptedRoutes.add(route);
      }
    }
    List<SnapshotHttpRoute> acceptedHttpRoutes = new ArrayList<>();
    Map<ResourceId, Verdict<SnapshotHttpRoute, List<CompiledRoute>>> nextHttpRoutes =
        new HashMap<>();
    // oldest first: the Gateway API's tie-breaker among equally specific matches
    List<SnapshotHttpRoute> byAge = new ArrayList<>(snapshot.httpRoutes());
    byAge.sort(HTTP_ROUTE_AGE);
    for (SnapshotHttpRoute route : byAge) {
      ResourceId id = ResourceId.of(route);
      if (!seen.add(id)) {
        rejections.add(id, DUPLICATE);
        continue;
      }
      Verdict<SnapshotHttpRoute, List<CompiledRoute>> verdict = httpRouteVerdicts.get(id);
      if (verdict == null || !verdict.sameSource(route)) {
        verdict = judge(route, rulebook::check, r -> httpRoutes.compile(r, 0));
      }
      nextHttpRoutes.put(id, verdict);
      if (!verdict.problems().isEmpty()) {
        rejections.add(id, verdict.problems());
      } else {
        for (CompiledRoute entry : verdict.compiled()) {
          compiled.add(entry.inPosition(compiled.size()));
        }
        acceptedHttpRoutes.add(route);
      }
    }
    List<SnapshotPolicy> acceptedPolicies = new ArrayList<>();
    Map<ResourceId, Verdict<SnapshotPolicy, SnapshotPolicy>> nextPolicies = new HashMap<>();
    for (SnapshotPolicy policy : snapshot.policies()) {
      ResourceId id = ResourceId.of(policy);
      if (!seen.add(id)) {
        rejections.add(id, DUPLICATE);
        continue;
      }
      Verdict<SnapshotPolicy, SnapshotPolicy> verdict = policyVerdicts.get(id);
      if (verdict == null || !verdict.sameSource(policy)) {
        verdict = judge(policy, rulebook::check, p -> p);
      }
      nextPolicies.put(id, verdict);
      if (!verdict.problems().isEmpty()) {
        rejections.add(id, verdict.problems());
      } else {
        acceptedPolicies.add(policy);
      }
    }
    routeVerdicts = nextRoutes;
    policyVerdicts = nextPolicies;
    httpRouteVerdicts = nextHttpRoutes;
    ConfigSnapshot accepted =
        new ConfigSnapshot(
            snapshot.version(), acceptedRoutes, acceptedPolicies, acceptedHttpRoutes);
    RouteTable table = new RouteTable(compiled);
    Map<Class<?>, Object> values = new HashMap<>();
    for (ConfigExtension<?> extension : extensions) {
      values.put(extension.type(), extension.compile(accepted, table, rejections));
    }
    return new GatewayConfig(snapshot, table, values, rejections.copy(), origin, Instant.now());
  }

  /** Tells every extension that {@code config}, compiled here, is now served. */
  void applied(GatewayConfig config) {
    for (ConfigExtension<?> extension : extensions) {
      applied(extension, config);
    }
  }

  private static <T> void applied(ConfigExtension<T> extension, GatewayConfig config) {
    extension.applied(config.extension(extension.type()));
  }

  /**
   * The rulebook's problems with one resource, else its compiled form. The compiler may fail
   * unexpectedly on an entry no operator of this version writes, as a rule may (the rulebook says
   * so as a problem): that failure is this resource's problem alone, never the load's, or a single
   * entry would keep the gateway unready, or hold every later version back, until someone deleted
   * it.
   */
  private static <S, C> Verdict<S, C> judge(
      S resource, Function<S, List<Problem>> rules, Function<S, C> compiler) {
    try {
      List<Problem> problems = rules.apply(resource);
      if (!problems.isEmpty()) {
        return new Verdict<>(resource, null, problems);
      }
      return new Verdict<>(resource, compiler.apply(resource), List.of());
    } catch (RuntimeException e) {
      return new Verdict<>(resource, null, List.of(Problem.unexpected("compiled", e)));
    }
  }

  private static final Comparator<SnapshotHttpRoute> HTTP_ROUTE_AGE =
      Comparator.comparing((SnapshotHttpRoute r) -> r.createdAt() == null ? "" : r.createdAt())
          .thenComparing(SnapshotHttpRoute::namespace)
          .thenComparing(SnapshotHttpRoute::name);

  private static final Problem DUPLICATE =
      Problem.invalid("metadata.name", "defined more than once");
}
