package dev.tollgate.gateway.config;

import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Tells the operator which config version this pod serves: {@code tollgate:<gw>:gateways:<pod-id>}
 * = version, with a 15 s TTL that {@link #refresh} renews every 5 s. A pod that dies stops renewing
 * and drops out of the operator's {@code applied by N/M gateways} count once the key expires; a pod
 * that shuts down cleanly deletes its key at once. Nothing is written before the first config is
 * served, so "live" in that count means "serving something".
 *
 * <p>Not thread-safe: used only from the config source's worker thread.
 */
final class AppliedVersionReporter {
  static final Duration TTL = Duration.ofSeconds(15);
  static final Duration REFRESH_INTERVAL = Duration.ofSeconds(5);
  private static final System.Logger LOG = System.getLogger(AppliedVersionReporter.class.getName());

  private final String key;
  private OptionalLong served = OptionalLong.empty();
  private boolean failing;

  AppliedVersionReporter(SnapshotKeys keys, String podId) {
    this.key = keys.appliedVersion(podId);
  }

  /**
   * The pod id Kubernetes gives the container as {@code HOSTNAME} (the pod name), or a random one
   * outside Kubernetes so two local gateways never share a key.
   */
  static String podId(Map<String, String> env) {
    String hostname = env.get("HOSTNAME");
    return hostname == null || hostname.isBlank()
        ? "gateway-" + UUID.randomUUID().toString().substring(0, 8)
        : hostname.strip();
  }

  String key() {
    return key;
  }

  /** Records a newly applied version and reports it right away. */
  void applied(long version, RedisClusterCommands<String, String> redis) {
    served = OptionalLong.of(version);
    refresh(redis);
  }

  /** Writes the served version again with a fresh TTL (after a Redis restart it was lost). */
  void refresh(RedisClusterCommands<String, String> redis) {
    if (served.isEmpty()) {
      return;
    }
    try {
      redis.set(key, Long.toString(served.getAsLong()), SetArgs.Builder.ex(TTL));
      if (failing) {
        LOG.log(Level.INFO, "Reporting the applied config version to Redis again");
        failing = false;
      }
    } catch (RedisException e) {
      if (!failing) {
        LOG.log(
            Level.WARNING, "Cannot report the applied config version to Redis: {0}", e.toString());
        failing = true;
      }
    }
  }

  /** Removes the key on a clean shutdown, so the operator stops counting this pod at once. */
  void withdraw(RedisClusterCommands<String, String> redis) {
    if (served.isEmpty()) {
      return;
    }
    try {
      redis.del(key);
    } catch (RedisException e) {
      LOG.log(
          Level.DEBUG, "Applied-version key not deleted; it expires by itself: {0}", e.toString());
    }
  }
}
