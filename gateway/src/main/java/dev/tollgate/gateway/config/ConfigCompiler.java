package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotPolicy;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.gateway.proxy.EndpointPools;
import dev.tollgate.gateway.route.CompiledRoute;
import dev.tollgate.gateway.route.RouteTable;
import dev.tollgate.rules.Problem;
import dev.tollgate.rules.ResourceId;
import dev.tollgate.rules.Rulebook;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link ConfigSnapshot} (from either source) into a {@link GatewayConfig}, one resource at
 * a time: each is judged by the {@link Rulebook} (the operator's rules) and then compiled; a
 * resource with problems is left out and recorded in the result's {@link Rejections}, everything
 * else goes into the configuration. Whether a rejection refuses the whole load is the {@link
 * ConfigApplier}'s decision. A policy whose target Route is absent (or rejected) attaches to
 * nothing.
 */
public final class ConfigCompiler {
  private final Rulebook rulebook;
  private final RouteCompiler routes;
  private final List<ConfigExtension<?>> extensions;

  public ConfigCompiler(
      Rulebook rulebook, EndpointPools pools, List<ConfigExtension<?>> extensions) {
    this.rulebook = rulebook;
    this.routes = new RouteCompiler(pools);
    this.extensions = List.copyOf(extensions);
  }

  public GatewayConfig compile(ConfigSnapshot snapshot, String origin) {
    Rejections rejections = new Rejections();
    List<SnapshotRoute> acceptedRoutes = new ArrayList<>();
    List<CompiledRoute> compiled = new ArrayList<>();
    Set<ResourceId> seen = new HashSet<>();
    for (SnapshotRoute route : snapshot.routes()) {
      ResourceId id = ResourceId.of(route);
      if (admitted(id, rulebook.check(route), seen, rejections)) {
        try {
          compiled.add(routes.compile(route, compiled.size()));
          acceptedRoutes.add(route);
        } catch (RuntimeException e) {
          rejections.add(id, notCompiled(e));
        }
      }
    }
    List<SnapshotPolicy> acceptedPolicies = new ArrayList<>();
    for (SnapshotPolicy policy : snapshot.policies()) {
      if (admitted(ResourceId.of(policy), rulebook.check(policy), seen, rejections)) {
        acceptedPolicies.add(policy);
      }
    }
    ConfigSnapshot accepted =
        new ConfigSnapshot(snapshot.version(), acceptedRoutes, acceptedPolicies);
    RouteTable table = new RouteTable(compiled);
    Map<Class<?>, Object> values = new HashMap<>();
    for (ConfigExtension<?> extension : extensions) {
      values.put(extension.type(), extension.compile(accepted, table, rejections));
    }
    return new GatewayConfig(snapshot, table, values, rejections.copy(), origin, Instant.now());
  }

  /** What a compiler's unexpected failure says about the resource; the rulebook missed it. */
  public static Problem notCompiled(RuntimeException e) {
    return Problem.invalid("spec", "cannot be compiled: " + e.getMessage());
  }

  private static boolean admitted(
      ResourceId id, List<Problem> problems, Set<ResourceId> seen, Rejections rejections) {
    if (!seen.add(id)) {
      rejections.add(id, Problem.invalid("metadata.name", "defined more than once"));
      return false;
    }
    if (!problems.isEmpty()) {
      rejections.add(id, problems);
      return false;
    }
    return true;
  }
}
