package dev.tollgate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.snapshot.ConfigSnapshot;

/**
 * Parses the operator's snapshot JSON with the shared {@link ApiJson} settings (unknown fields
 * ignored, so a newer operator can add some). Only the shape is checked here; the content goes
 * through the same {@link ConfigCompiler} as the directory source's, via the sink.
 */
final class SnapshotReader {
  private final ObjectReader reader = ApiJson.mapper().readerFor(ConfigSnapshot.class);
  private final String key;

  /**
   * @param key the Redis key the JSON was read from, named in every problem
   */
  SnapshotReader(String key) {
    this.key = key;
  }

  ConfigSnapshot parse(String json) throws ConfigValidationException {
    if (json == null) {
      throw new ConfigValidationException(key + ": missing although its version key is set");
    }
    ConfigSnapshot snapshot;
    try {
      snapshot = reader.readValue(json);
    } catch (JsonProcessingException e) {
      throw new ConfigValidationException(
          key + ": not a valid snapshot: " + firstLine(e.getOriginalMessage()));
    }
    if (snapshot == null) {
      throw new ConfigValidationException(key + ": not a valid snapshot: empty document");
    }
    return snapshot;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable JSON";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
