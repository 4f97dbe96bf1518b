package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigSnapshot;

/** Receives what a {@link ConfigSource} read; implemented by {@link ConfigApplier}. */
public interface ConfigSink {

  /** What a resource the gateway cannot serve does to the rest of a load. */
  enum Refusal {
    /**
     * The whole load is refused and the previous configuration keeps serving (a standalone
     * directory: fix the files, like {@code nginx -t}).
     */
    WHOLE_LOAD,
    /**
     * Only that resource is left out; everything else is served and the rejections are reported
     * (the operator's snapshot: one team's resource never blocks another's).
     */
    RESOURCE_ONLY
  }

  /**
   * Judges, compiles and applies a snapshot.
   *
   * @param unreadable resources of the snapshot the source could not read (their entries do not
   *     parse), rejected like the ones the rulebook refuses
   * @param locations names each resource's place in the source for error messages
   */
  LoadOutcome offer(
      ConfigSnapshot snapshot,
      Rejections unreadable,
      String origin,
      SourceLocations locations,
      Refusal refusal);

  /** The source could not even produce a snapshot (unparseable YAML/JSON); counted as failure. */
  void refuse(String origin, ConfigValidationException problems);
}
