package dev.tollgate.api.snapshot;

import java.util.List;

/**
 * Everything one gateway instance serves, as the operator writes it to Redis key {@code
 * tollgate:<gw>:config} (JSON via {@link dev.tollgate.api.common.ApiJson#mapper()}). {@code
 * version} equals {@code tollgate:<gw>:config:version} at the time of the write.
 */
public record ConfigSnapshot(
    long version, List<SnapshotRoute> routes, List<SnapshotPolicy> policies) {
  public ConfigSnapshot {
    routes = routes == null ? List.of() : List.copyOf(routes);
    policies = policies == null ? List.of() : List.copyOf(policies);
  }
}
