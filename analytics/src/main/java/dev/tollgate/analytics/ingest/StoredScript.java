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
 * A Lua script of this service: loaded from the class path once, called with {@code EVALSHA}, and
 * sent whole with {@code EVAL} when Redis answers {@code NOSCRIPT} (after a restart or failover),
 * which also caches it again.
 */
final class StoredScript {
  private final RedisClusterCommands<String, String> redis;
  private final String source;
  private final String sha;

  /**
   * @param name the script's file name in {@code dev/tollgate/analytics/}
   */
  StoredScript(RedisClusterCommands<String, String> redis, String name) {
    this.redis = redis;
    this.source = load(name);
    this.sha = redis.digest(source);
  }

  /** Runs the script; its reply is a Lua table. */
  List<Object> call(List<String> keys, List<String> args) {
    String[] keyArray = keys.toArray(String[]::new);
    String[] argArray = args.toArray(String[]::new);
    try {
      return redis.evalsha(sha, ScriptOutputType.MULTI, keyArray, argArray);
    } catch (RedisNoScriptException e) {
      return redis.eval(source, ScriptOutputType.MULTI, keyArray, argArray);
    }
  }

  private static String load(String name) {
    try (InputStream in =
        StoredScript.class.getResourceAsStream("/dev/tollgate/analytics/" + name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
