package dev.tollgate.operator.feedback;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the applied versions the gateways keep alive in the hash {@code tollgate:{<gw>}:gateways}
 * (field = pod, value = served version and an expiry from Redis TIME, refreshed every 5 s for 15
 * s). A pod that stops refreshing drops out once its expiry passes, which is what "live" means
 * here; the read removes such fields, so pods that died without withdrawing do not pile up.
 *
 * <p>One hash in the instance's slot instead of one key per pod: on a Redis Cluster a pattern SCAN
 * would have to run on every master, while one script call on one node reads them all.
 */
public final class GatewayFeedback {
  private final RedisClusterCommands<String, String> redis;
  private final ConfigKeys keys;

  public GatewayFeedback(RedisClusterCommands<String, String> redis, ConfigKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Served versions of the live gateway pods, sorted. */
  public List<Long> servedVersions() {
    List<Object> reply =
        redis.eval(ConfigScripts.LIVE_GATEWAYS, ScriptOutputType.MULTI, keys.gateways());
    List<Long> versions = new ArrayList<>(reply.size());
    for (Object version : reply) {
      // The script only returns values that matched ^%d+ .
      versions.add(Long.parseLong((String) version));
    }
    versions.sort(null);
    return List.copyOf(versions);
  }
}
