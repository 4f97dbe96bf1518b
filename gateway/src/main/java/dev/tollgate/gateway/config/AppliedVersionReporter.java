package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import dev.tollgate.rules.RejectionReport;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator which config version this pod serves: field {@code <pod-id>} of the hash
 * {@code tollgate:{<gw>}:gateways} = version and an expiry 15 s after Redis {@code TIME} ({@link
 * ConfigScripts#REPORT_APPLIED_VERSION}), renewed by {@link #refresh} every 5 s, and beside it the
 * resources of that version it left out ({@link RejectionReport}), so their statuses can say so. A
 * pod that dies stops renewing and drops out of the operator's {@code applied by N/M gateways}
 * count once the expiry passes; a pod that shuts down cleanly deletes its field at once. Nothing is
 * written before the first config is served, so "live" in that count means "serving something".
 *
 * <p>Not thread-safe: used only from the config source's worker thread.
 */
final class AppliedVersionReporter {
  static final Duration TTL = Duration.ofSeconds(15);
  static final Duration REFRESH_INTERVAL = Duration.ofSeconds(5);

  /** The report of left-out resources is field {@code <pod>#rejected} (see the script). */
  static final String REJECTED_SUFFIX = "#rejected";

  private static final Logger LOG = LoggerFactory.getLogger(AppliedVersionReporter.class);

  private final String hash;
  private final String podId;
  private OptionalLong served = OptionalLong.empty();
  private long epoch;
  private RejectionReport rejected = RejectionReport.NONE;
  private boolean failing;

  AppliedVersionReporter(ConfigKeys keys, String podId) {
    this.hash = keys.gateways();
    this.podId = podId;
  }

  /**
   * Records a newly applied version, the leader epoch that wrote it (the operator's write fence
   * reads it back, so the fence survives Redis losing its data) and what it left out; reports them
   * at once.
   */
  void applied(
      long version,
      long epoch,
      RejectionReport rejected,
      RedisClusterCommands<String, String> redis) {
    this.served = OptionalLong.of(version);
    this.epoch = epoch;
    this.rejected = rejected;
    refresh(redis);
  }

  /** Writes the served version again with a fresh TTL (after a Redis restart it was lost). */
  void refresh(RedisClusterCommands<String, String> redis) {
    if (served.isEmpty()) {
      return;
    }
    try {
      redis.eval(
          ConfigScripts.REPORT_APPLIED_VERSION,
          ScriptOutputType.INTEGER,
          new String[] {hash},
          podId,
          Long.toString(served.getAsLong()),
          Long.toString(TTL.toMillis()),
          rejected.encode(),
          Long.toString(epoch));
      if (failing) {
        LOG.info("Reporting the applied config version to Redis again");
        failing = false;
      }
    } catch (RedisException e) {
      if (!failing) {
        LOG.warn("Cannot report the applied config version to Redis: {}", e.toString());
        failing = true;
      }
    }
  }

  /** Removes the report on a clean shutdown, so the operator stops counting this pod at once. */
  void withdraw(RedisClusterCommands<String, String> redis) {
    if (served.isEmpty()) {
      return;
    }
    try {
      redis.hdel(hash, podId, podId + REJECTED_SUFFIX);
    } catch (RedisException e) {
      LOG.debug("Applied-version report not deleted; it expires by itself: {}", e.toString());
    }
  }
}
