package dev.tollgate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.redis.RedisTarget;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Writes snapshots into Redis with the operator's own script ({@link ConfigScripts#WRITE_SNAPSHOT}:
 * snapshot, version and fence in one step, then PUBLISH of the version), and reads the pods'
 * reports the way the operator counts them ({@link ConfigScripts#LIVE_GATEWAYS}). The gateway
 * module does not depend on the operator, so the shared script is what ties the two together.
 * Routes point at static endpoints, as the operator writes them for {@code spec.backend.endpoints}.
 */
final class OperatorWrites implements AutoCloseable {
  private static final ObjectMapper JSON = ApiJson.mapper();

  private final ConfigKeys keys;
  private final RedisConnection<String, String> connection;
  private final RedisClusterCommands<String, String> redis;

  /**
   * @param redisUri one server, or comma-separated cluster nodes (as {@code TOLLGATE_REDIS_URL})
   */
  OperatorWrites(String redisUri, String gatewayName) {
    this.keys = new ConfigKeys(gatewayName);
    this.connection =
        RedisConnection.open(
            RedisTarget.parse(redisUri), LettuceOptions.control(), StringCodec.UTF8);
    this.redis = connection.sync();
  }

  /** A snapshot with one route per {@code pathPrefix → upstream URL} pair. */
  static String snapshot(long version, String... prefixesAndUrls) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", version);
    ArrayNode routes = root.putArray("routes");
    for (int i = 0; i < prefixesAndUrls.length; i += 2) {
      ObjectNode route = routes.addObject();
      route.put("namespace", "test");
      route.put("name", "route-" + i / 2);
      ObjectNode spec = route.putObject("spec");
      spec.putObject("match").put("pathPrefix", prefixesAndUrls[i]);
      spec.putObject("backend").putArray("endpoints").add(prefixesAndUrls[i + 1]);
      route.putArray("endpoints").add(prefixesAndUrls[i + 1]);
    }
    root.putArray("policies");
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes {@code json} (any text, valid or not) as {@code version} and announces it. */
  void publish(long version, String json) {
    write(version, json, keys.channel());
  }

  /**
   * Writes without announcing: what a subscriber sees when it missed the message. The script
   * publishes on a channel nobody listens to instead.
   */
  void store(long version, String json) {
    write(version, json, keys.channel() + ":unheard");
  }

  private void write(long version, String json, String channel) {
    String stored = redis.get(keys.version());
    List<Long> reply =
        redis.eval(
            ConfigScripts.WRITE_SNAPSHOT,
            ScriptOutputType.MULTI,
            new String[] {keys.config(), keys.version(), keys.fence()},
            stored == null ? "0" : stored,
            Long.toString(version),
            json,
            "0",
            channel);
    if (reply.get(0) != 1L) {
      throw new IllegalStateException("snapshot v" + version + " not written: " + reply);
    }
  }

  /** The version {@code podId} reports as served, if its report is there. */
  Optional<String> served(String podId) {
    return Optional.ofNullable(redis.hget(keys.gateways(), podId)).map(v -> v.split(" ")[0]);
  }

  /** How long {@code podId}'s report stays live without a refresh, by the Redis clock. */
  Duration reportTtl(String podId) {
    String report = redis.hget(keys.gateways(), podId);
    if (report == null) {
      return Duration.ZERO;
    }
    List<String> time = redis.time();
    long nowMillis = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    return Duration.ofMillis(Long.parseLong(report.split(" ")[1]) - nowMillis);
  }

  /** The served versions of the live pods, as the operator counts them (sorted). */
  List<String> liveVersions() {
    List<List<String>> reply =
        redis.eval(ConfigScripts.LIVE_GATEWAYS, ScriptOutputType.MULTI, keys.gateways());
    return reply.get(0).stream().sorted().toList();
  }

  /** The live pods' reports of resources they left out: {@code "<version>\n<lines>"} each. */
  List<String> liveRejections() {
    List<List<String>> reply =
        redis.eval(ConfigScripts.LIVE_GATEWAYS, ScriptOutputType.MULTI, keys.gateways());
    return reply.get(1);
  }

  RedisClusterCommands<String, String> redis() {
    return redis;
  }

  @Override
  public void close() {
    connection.close();
  }
}
