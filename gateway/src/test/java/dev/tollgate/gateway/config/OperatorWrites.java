package dev.tollgate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes configuration entries into Redis with the operator's own script ({@link
 * ConfigScripts#WRITE_CONFIG}: changed entries, log, version and fence in one step, then PUBLISH of
 * the version), and reads the pods' reports the way the operator counts them ({@link
 * ConfigScripts#LIVE_GATEWAYS}). The gateway module does not depend on the operator, so the shared
 * scripts are what tie the two together. Routes point at static endpoints, as the operator writes
 * them for {@code spec.backend.endpoints}.
 */
final class OperatorWrites implements AutoCloseable {
  private static final ObjectMapper JSON = ApiJson.mapper();

  private final ConfigKeys keys;
  private final RedisConnection<String, String> connection;
  private final RedisClusterCommands<String, String> redis;
  private Map<String, String> written = Map.of();

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

  /** Route entries (field → JSON), one route per {@code pathPrefix → upstream URL} pair. */
  static Map<String, String> routes(String... prefixesAndUrls) {
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < prefixesAndUrls.length; i += 2) {
      ObjectNode route = JSON.createObjectNode();
      route.put("namespace", "test");
      route.put("name", "route-" + i / 2);
      ObjectNode spec = route.putObject("spec");
      spec.putObject("match").put("pathPrefix", prefixesAndUrls[i]);
      spec.putObject("backend").putArray("endpoints").add(prefixesAndUrls[i + 1]);
      route.putArray("endpoints").add(prefixesAndUrls[i + 1]);
      try {
        entries.put("Route/test/route-" + i / 2, JSON.writeValueAsString(route));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    return entries;
  }

  /**
   * One route ({@code pathPrefix} to {@code url}, namespace {@code test}, name {@code route-0}) and
   * one policy on it: {@code requests} per hour per client IP, with {@code failureMode}.
   */
  static Map<String, String> routeWithLimit(
      String pathPrefix, String url, long requests, String failureMode) {
    Map<String, String> entries = new LinkedHashMap<>(routes(pathPrefix, url));
    ObjectNode policy = JSON.createObjectNode();
    policy.put("namespace", "test");
    policy.put("name", "per-ip");
    ObjectNode spec = policy.putObject("spec");
    spec.putArray("targetRefs").addObject().put("kind", "Route").put("name", "route-0");
    spec.put("failureMode", failureMode);
    ObjectNode limit = spec.putArray("limits").addObject();
    limit.put("name", "per-ip");
    limit.putObject("rate").put("requests", requests).put("period", "1h");
    limit.putArray("key").addObject().put("clientIP", true);
    try {
      entries.put("RateLimitPolicy/test/per-ip", JSON.writeValueAsString(policy));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return entries;
  }

  /**
   * Writes {@code entries} (any text, valid or not) as the operator would: what differs from the
   * last write, or all of them when Redis holds nothing; announces the version and returns it.
   */
  long publish(Map<String, String> entries) {
    return write(entries, keys.channel());
  }

  /**
   * Writes without announcing: what a subscriber sees when it missed the message. The script
   * publishes on a channel nobody listens to instead.
   */
  long store(Map<String, String> entries) {
    return write(entries, keys.channel() + ":unheard");
  }

  /**
   * Announces the stored version {@code times} times in one script, so the messages arrive as fast
   * as Redis sends them (the way a runaway writer would), without writing anything.
   */
  void announceRepeatedly(int times) {
    redis.eval(
        "for i = 1, tonumber(ARGV[1]) do redis.call('PUBLISH', ARGV[2], ARGV[3]) end return 0",
        ScriptOutputType.INTEGER,
        new String[0],
        Integer.toString(times),
        keys.channel(),
        redis.get(keys.version()));
  }

  /** Overwrites the version with text no reader can take for a version, and announces it. */
  void corruptVersion() {
    redis.set(keys.version(), "not-a-version");
    redis.publish(keys.channel(), "not-a-version");
  }

  private long write(Map<String, String> entries, String channel) {
    String stored = redis.get(keys.version());
    List<Long> reply = write(entries, channel, stored, stored == null);
    if (reply.get(0) == -2L) {
      // The changes would not follow the stored version (a gateway serves a higher one).
      reply = write(entries, channel, stored, true);
    }
    if (reply.get(0) != 1L) {
      throw new IllegalStateException("config not written: " + reply);
    }
    written = Map.copyOf(entries);
    return reply.get(1);
  }

  private List<Long> write(
      Map<String, String> entries, String channel, String stored, boolean full) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            stored == null ? "0" : stored,
            "1",
            "0",
            channel,
            full ? "full" : "diff",
            "lineage-" + System.nanoTime(),
            Integer.toString(ConfigScripts.MAX_LOGGED_CHANGES),
            Integer.toString(ConfigScripts.MAX_LOG_LENGTH)));
    entries.forEach(
        (field, json) -> {
          if (full || !json.equals(written.get(field))) {
            args.add(field);
            args.add(json);
          }
        });
    written.keySet().stream()
        .filter(field -> !full && !entries.containsKey(field))
        .forEach(field -> args.addAll(List.of(field, "")));
    return redis.eval(
        ConfigScripts.WRITE_CONFIG,
        ScriptOutputType.MULTI,
        keys.writeScriptKeys(),
        args.toArray(String[]::new));
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
