package dev.tollgate.analytics.ingest;

import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.List;

/** {@code apply-batch.lua}: applies and acknowledges one batch if it is still this consumer's. */
final class ApplyScript {
  private final StoredScript script;

  ApplyScript(RedisClusterCommands<String, String> redis) {
    this.script = new StoredScript(redis, "apply-batch.lua");
  }

  /** The batch's ids that are no longer this consumer's; empty when the batch was applied. */
  @SuppressWarnings("unchecked")
  List<String> apply(BatchAggregate.ScriptArguments call) {
    List<Object> reply = script.call(call.keys(), call.args());
    if (((Long) reply.getFirst()) == 1L) {
      return List.of();
    }
    return (List<String>) reply.get(1);
  }
}
