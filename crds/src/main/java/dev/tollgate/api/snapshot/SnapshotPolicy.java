package dev.tollgate.api.snapshot;

import dev.tollgate.api.v1alpha1.RateLimitPolicySpec;

/**
 * A RateLimitPolicy in a {@link ConfigSnapshot}; it applies to the snapshot's routes of the same
 * {@code namespace} named by {@code spec.targetRefs}.
 */
public record SnapshotPolicy(String namespace, String name, RateLimitPolicySpec spec) {}
