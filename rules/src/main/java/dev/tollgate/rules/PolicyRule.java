package dev.tollgate.rules;

import dev.tollgate.api.snapshot.SnapshotPolicy;

/**
 * One rule over a RateLimitPolicy. Called only for a policy with a spec; adds what is wrong to
 * {@code problems}, with field paths from the resource's root ({@code spec.limits[0].cost}).
 */
@FunctionalInterface
public interface PolicyRule {
  void check(SnapshotPolicy policy, Problems problems);
}
