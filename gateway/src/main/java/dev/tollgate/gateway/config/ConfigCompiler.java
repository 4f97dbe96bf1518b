package dev.tollgate.gateway.config;

import dev.tollgate.api.common.TargetRef;
import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.gateway.proxy.EndpointPools;
import dev.tollgate.gateway.route.CompiledRoute;
import dev.tollgate.gateway.route.RouteTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link ConfigSnapshot} (from either source) into a {@link GatewayConfig}: validates and
 * compiles every route, checks that policies target existing routes, then runs the registered
 * {@link ConfigExtension}s. All problems are reported together, not just the first.
 */
public final class ConfigCompiler {
  private final RouteCompiler routes;
  private final List<ConfigExtension<?>> extensions;

  public ConfigCompiler(EndpointPools pools, List<ConfigExtension<?>> extensions) {
    this.routes = new RouteCompiler(pools);
    this.extensions = List.copyOf(extensions);
  }

  public GatewayConfig compile(ConfigSnapshot snapshot, String origin, SourceLocations locations)
      throws ConfigValidationException {
    Problems problems = Problems.root();
    List<CompiledRoute> compiled = new ArrayList<>();
    Set<String> routeKeys = new HashSet<>();
    int order = 0;
    for (SnapshotRoute route : snapshot.routes()) {
      Problems at = problems.under(locations.prefix("Route", route.namespace(), route.name()));
      if (!routeKeys.add(route.namespace() + "/" + route.name())) {
        at.add("metadata.name", "defined more than once");
        continue;
      }
      routes.compile(route, order++, at).ifPresent(compiled::add);
    }
    checkPolicies(snapshot.policies(), routeKeys, locations, problems);
    problems.throwIfAny();
    RouteTable table = new RouteTable(compiled);
    Map<Class<?>, Object> values = new HashMap<>();
    for (ConfigExtension<?> extension : extensions) {
      values.put(extension.type(), extension.compile(snapshot, table));
    }
    return new GatewayConfig(snapshot, table, values, origin, Instant.now());
  }

  private static void checkPolicies(
      List<SnapshotPolicy> policies,
      Set<String> routeKeys,
      SourceLocations locations,
      Problems problems) {
    Set<String> seen = new HashSet<>();
    for (SnapshotPolicy policy : policies) {
      Problems at =
          problems.under(locations.prefix("RateLimitPolicy", policy.namespace(), policy.name()));
      if (!seen.add(policy.namespace() + "/" + policy.name())) {
        at.add("metadata.name", "defined more than once");
      }
      if (policy.spec() == null) {
        at.add("spec", "required");
        continue;
      }
      List<TargetRef> refs = policy.spec().getTargetRefs();
      if (refs == null || refs.isEmpty()) {
        at.add("spec.targetRefs", "at least one target is required");
        continue;
      }
      for (int i = 0; i < refs.size(); i++) {
        String name = refs.get(i).getName();
        if (!routeKeys.contains(policy.namespace() + "/" + name)) {
          at.add(
              "spec.targetRefs[" + i + "].name",
              "no Route '" + name + "' in namespace '" + policy.namespace() + "'");
        }
      }
    }
  }
}
