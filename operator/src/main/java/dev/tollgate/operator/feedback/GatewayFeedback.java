package dev.tollgate.operator.feedback;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import dev.tollgate.rules.RejectionReport;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the gateways keep alive in the hash {@code tollgate:{<gw>}:gateways}: per pod the
 * served version, with an expiry from Redis TIME (refreshed every 5 s for 15 s), and the resources
 * of that version the pod left out. A pod that stops refreshing drops out once its expiry passes,
 * which is what "live" means here; the read removes such fields, so pods that died without
 * withdrawing do not pile up.
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

  public FleetReport read() {
    List<List<String>> reply =
        redis.eval(ConfigScripts.LIVE_GATEWAYS, ScriptOutputType.MULTI, keys.gateways());
    List<Long> served = new ArrayList<>();
    // The script only returns versions that matched ^%d+ .
    reply.get(0).forEach(version -> served.add(Long.parseLong(version)));
    served.sort(null);
    List<FleetReport.Rejections> rejections = new ArrayList<>();
    for (String report : reply.get(1)) {
      int newline = report.indexOf('\n');
      rejections.add(
          new FleetReport.Rejections(
              Long.parseLong(report.substring(0, newline)),
              RejectionReport.decode(report.substring(newline + 1))));
    }
    return new FleetReport(served, rejections);
  }
}
