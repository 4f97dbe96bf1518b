package dev.tollgate.api.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * YAML twin of {@link ApiJson}: reads the Route and RateLimitPolicy manifests a user writes (the
 * standalone gateway's config directory) with the same settings the snapshot uses.
 */
public final class ApiYaml {
  private static final ObjectMapper YAML =
      ApiJson.configure(YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
          .build();

  private ApiYaml() {}

  /** The shared YAML mapper; thread-safe, do not reconfigure it. */
  public static ObjectMapper mapper() {
    return YAML;
  }
}
