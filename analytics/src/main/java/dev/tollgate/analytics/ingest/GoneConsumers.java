package dev.tollgate.analytics.ingest;

import dev.tollgate.api.access.AccessStreamKeys;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.List;

/**
 * Removes from the consumer group the consumers of replicas that are gone ({@code
 * forget-idle-consumers.lua}). Each replica joins under its pod name, so every restart and every
 * scale-down leaves one behind; without this the group would grow with the service's history.
 */
final class GoneConsumers {
  private final StoredScript script;
  private final String stream;

  GoneConsumers(RedisClusterCommands<String, String> redis, String stream) {
    this.script = new StoredScript(redis, "forget-idle-consumers.lua");
    this.stream = stream;
  }

  /** Removes the consumers idle for {@code idle} or longer that hold no entry; their names. */
  @SuppressWarnings("unchecked")
  List<String> forget(Duration idle) {
    List<Object> removed =
        script.call(
            List.of(stream), List.of(AccessStreamKeys.GROUP, Long.toString(idle.toMillis())));
    return (List<String>) (List<?>) removed;
  }
}
