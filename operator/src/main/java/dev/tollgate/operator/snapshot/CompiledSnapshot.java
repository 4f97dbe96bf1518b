package dev.tollgate.operator.snapshot;

import dev.tollgate.rules.ResourceId;
import java.util.Map;

/** A snapshot compiled from the caches, not yet versioned. */
public interface CompiledSnapshot {
  /** The snapshot JSON carrying {@code version}; deterministic for equal content. */
  String render(long version);

  /** Each resource's entry, for the {@code Programmed} bookkeeping. */
  Map<ResourceId, SnapshotEntry> entries();

  int routeCount();

  int policyCount();
}
