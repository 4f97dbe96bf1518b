package dev.tollgate.gateway.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.common.ApiJson;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.List;

/**
 * Writes snapshots into Redis the way the operator does (snapshot, version, then PUBLISH of the
 * version), with switches to leave out the PUBLISH or write a corrupt snapshot. Routes point at
 * static endpoints, as the operator writes them for {@code spec.backend.endpoints}.
 */
final class OperatorWrites implements AutoCloseable {
  private static final ObjectMapper JSON = ApiJson.mapper();

  private final SnapshotKeys keys;
  private final AbstractRedisClient client;
  private final StatefulConnection<String, String> connection;
  private final RedisClusterCommands<String, String> redis;

  /**
   * @param redisUri one server, or comma-separated cluster nodes (as {@code TOLLGATE_REDIS_URL})
   */
  OperatorWrites(String redisUri, String gatewayName) {
    this.keys = new SnapshotKeys(gatewayName);
    List<RedisURI> nodes = SnapshotConnection.nodes(redisUri);
    if (nodes.size() > 1) {
      RedisClusterClient cluster = RedisClusterClient.create(nodes);
      StatefulRedisClusterConnection<String, String> c = cluster.connect();
      this.client = cluster;
      this.connection = c;
      this.redis = c.sync();
    } else {
      RedisClient single = RedisClient.create(nodes.get(0));
      StatefulRedisConnection<String, String> c = single.connect();
      this.client = single;
      this.connection = c;
      this.redis = c.sync();
    }
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

  /** Writes {@code json} as {@code version} and announces it. */
  void publish(long version, String json) {
    store(version, json);
    redis.publish(keys.channel(), Long.toString(version));
  }

  /** Writes without announcing: what a subscriber sees when it missed the message. */
  void store(long version, String json) {
    redis.set(keys.config(), json);
    redis.set(keys.version(), Long.toString(version));
  }

  RedisClusterCommands<String, String> redis() {
    return redis;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
