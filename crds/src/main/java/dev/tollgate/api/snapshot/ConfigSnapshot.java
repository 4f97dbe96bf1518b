package dev.tollgate.api.snapshot;

import java.util.List;

/**
 * Everything one gateway instance serves: the operator stores it per resource in Redis ({@link
 * ConfigKeys#entries()}), a gateway holds it as one snapshot of one {@code version} (JSON via
 * {@link dev.tollgate.api.common.ApiJson#mapper()}).
 *
 * @param httpRoutes Gateway API HTTPRoutes attached to Gateways of Tollgate's class
 */
public record ConfigSnapshot(
    long version,
    List<SnapshotRoute> routes,
    List<SnapshotPolicy> policies,
    List<SnapshotHttpRoute> httpRoutes) {
  public ConfigSnapshot {
    routes = routes == null ? List.of() : List.copyOf(routes);
    policies = policies == null ? List.of() : List.copyOf(policies);
    httpRoutes = httpRoutes == null ? List.of() : List.copyOf(httpRoutes);
  }

  /** A snapshot of Tollgate's own kinds only (standalone directories have no HTTPRoutes). */
  public ConfigSnapshot(long version, List<SnapshotRoute> routes, List<SnapshotPolicy> policies) {
    this(version, routes, policies, List.of());
  }
}
