package dev.tollgate.operator.snapshot;

import dev.tollgate.rules.ResourceId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot compiled from the caches, not yet versioned: each resource's entry as it is stored.
 *
 * @param entries each resource's entry (JSON and the generation it was compiled from)
 */
public record CompiledSnapshot(
    Map<ResourceId, SnapshotEntry> entries, int routeCount, int policyCount) {
  public CompiledSnapshot {
    entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }
}
