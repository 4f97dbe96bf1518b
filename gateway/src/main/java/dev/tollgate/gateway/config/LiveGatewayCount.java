package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many gateway pods of this instance are live: the reports in {@code tollgate:{<gw>}:gateways}
 * whose expiry has not passed ({@link ConfigScripts#LIVE_GATEWAY_COUNT}), the same reports the
 * operator counts for its {@code applied by N/M gateways}. Re-read with every applied-version
 * refresh (5 s). When Redis goes away the last count stays: that is exactly when {@code
 * failureMode: local} divides by it.
 */
final class LiveGatewayCount {
  private static final Logger LOG = LoggerFactory.getLogger(LiveGatewayCount.class);

  private final String hash;
  private final AtomicInteger count = new AtomicInteger();

  LiveGatewayCount(ConfigKeys keys) {
    this.hash = keys.gateways();
  }

  /** The last count read; 0 before the first read. */
  int get() {
    return count.get();
  }

  void refresh(RedisClusterCommands<String, String> redis) {
    try {
      Long live =
          redis.eval(
              ConfigScripts.LIVE_GATEWAY_COUNT, ScriptOutputType.INTEGER, new String[] {hash});
      count.set(live.intValue());
    } catch (RedisException e) {
      LOG.debug("Live gateway count not read; keeping {}: {}", count.get(), e.toString());
    }
  }
}
