package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigSnapshot;

/** Receives what a {@link ConfigSource} read; implemented by {@link ConfigApplier}. */
public interface ConfigSink {

  /**
   * Validates, compiles and applies a snapshot.
   *
   * @param locations names each resource's place in the source for error messages
   * @return true when applied, false when refused (the previous configuration keeps serving)
   */
  boolean offer(ConfigSnapshot snapshot, String origin, SourceLocations locations);

  /** The source could not even produce a snapshot (unparseable YAML/JSON); counted as failure. */
  void refuse(String origin, ConfigValidationException problems);
}
