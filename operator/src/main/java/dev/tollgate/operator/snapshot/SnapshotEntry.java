package dev.tollgate.operator.snapshot;

/**
 * One resource's part of a compiled snapshot: its JSON as written, and the generation of the
 * resource it was compiled from.
 */
public record SnapshotEntry(String json, long generation) {}
