package dev.tollgate.operator.snapshot;

/**
 * One resource's part of a compiled snapshot: its JSON as written, and the uid and generation of
 * the resource it was compiled from (an object deleted and created again under its name starts over
 * at generation 1 with another uid).
 */
public record SnapshotEntry(String json, String uid, long generation) {}
