package dev.tollgate.analytics.ingest;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code apply-batch.lua}: loaded from the class path once, called with {@code EVALSHA}, and sent
 * whole with {@code EVAL} when Redis answers {@code NOSCRIPT} (after a restart or failover), which
 * also caches it again.
 */
final class ApplyScript {
  private static final String SOURCE = load();

  private final RedisClusterCommands<String, String> redis;
  private final String sha;

  ApplyScript(RedisClusterCommands<String, String> redis) {
    this.redis = redis;
    this.sha = redis.digest(SOURCE);
  }

  /** The batch's ids that are no longer this consumer's; empty when the batch was applied. */
  @SuppressWarnings("unchecked")
  List<String> apply(BatchAggregate.ScriptArguments call) {
    String[] keys = call.keys().toArray(String[]::new);
    String[] args = call.args().toArray(String[]::new);
    List<Object> reply;
    try {
      reply = redis.evalsha(sha, ScriptOutputType.MULTI, keys, args);
    } catch (RedisNoScriptException e) {
      reply = redis.eval(SOURCE, ScriptOutputType.MULTI, keys, args);
    }
    if (((Long) reply.getFirst()) == 1L) {
      return List.of();
    }
    return (List<String>) reply.get(1);
  }

  private static String load() {
    try (InputStream in =
        ApplyScript.class.getResourceAsStream("/dev/tollgate/analytics/apply-batch.lua")) {
      if (in == null) {
        throw new IllegalStateException("apply-batch.lua is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
