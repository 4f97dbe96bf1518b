package dev.tollgate.gateway.config;

import dev.tollgate.limiter.redis.RedisTarget;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The config source's own Redis connections, apart from the limiter's: one for commands (GET of the
 * snapshot, SET of the applied version) and one subscribed to the snapshot channel, because a
 * connection in subscribe mode accepts no other commands. Standalone and sentinel URLs ({@code
 * redis://}, {@code rediss://}, {@code redis-sentinel://}) go through {@link RedisClient}; a
 * comma-separated list of nodes is a cluster, where a PUBLISH reaches subscribers on every node.
 *
 * <p>Both connections reconnect by themselves after Redis restarts (backoff capped at 2 s) and the
 * subscription is renewed on reconnect. While disconnected, commands fail at once instead of being
 * queued, so a poll never returns a stale answer long after it was asked.
 */
final class SnapshotConnection implements AutoCloseable {
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);
  private static final Duration CLUSTER_TOPOLOGY_REFRESH = Duration.ofSeconds(30);

  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final StatefulConnection<String, String> commandConnection;
  private final RedisClusterCommands<String, String> commands;
  private final StatefulRedisPubSubConnection<String, String> pubSub;

  private SnapshotConnection(
      ClientResources resources,
      AbstractRedisClient client,
      StatefulConnection<String, String> commandConnection,
      RedisClusterCommands<String, String> commands,
      StatefulRedisPubSubConnection<String, String> pubSub) {
    this.resources = resources;
    this.client = client;
    this.commandConnection = commandConnection;
    this.commands = commands;
    this.pubSub = pubSub;
  }

  /**
   * Connects both connections and subscribes {@code listener} to {@code channel}.
   *
   * @throws RedisException when Redis cannot be reached (nothing is left open)
   */
  static SnapshotConnection open(
      String url, String channel, RedisPubSubListener<String, String> listener) {
    ClientResources resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), MAX_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS))
            .build();
    AbstractRedisClient client = null;
    try {
      List<RedisURI> nodes = nodes(url);
      StatefulConnection<String, String> connection;
      RedisClusterCommands<String, String> commands;
      StatefulRedisPubSubConnection<String, String> pubSub;
      if (nodes.size() > 1) {
        RedisClusterClient cluster = RedisClusterClient.create(resources, nodes);
        client = cluster;
        cluster.setOptions(clusterOptions());
        StatefulRedisClusterConnection<String, String> c = cluster.connect();
        // Node connections open lazily, and while one is opening REJECT_COMMANDS refuses commands
        // for its slots: the first GET of a fresh gateway failed that way. Open them all now.
        c.getPartitions()
            .forEach(node -> c.getConnection(node.getUri().getHost(), node.getUri().getPort()));
        connection = c;
        commands = c.sync();
        pubSub = cluster.connectPubSub();
      } else {
        RedisClient single = RedisClient.create(resources, nodes.get(0));
        client = single;
        single.setOptions(options(ClientOptions.builder()).build());
        StatefulRedisConnection<String, String> c = single.connect();
        connection = c;
        commands = c.sync();
        pubSub = single.connectPubSub();
      }
      pubSub.addListener(listener);
      pubSub.sync().subscribe(channel);
      return new SnapshotConnection(resources, client, connection, commands, pubSub);
    } catch (RuntimeException e) {
      if (client != null) {
        client.shutdown();
      }
      resources.shutdown();
      throw e;
    }
  }

  /**
   * The node or nodes {@code url} names: one for standalone and sentinel, several for a cluster.
   *
   * @throws IllegalArgumentException naming {@code TOLLGATE_REDIS_URL} (never echoing the URL,
   *     which may carry a password)
   */
  static List<RedisURI> nodes(String url) {
    try {
      return RedisTarget.parse(url).nodes();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "TOLLGATE_REDIS_URL: not a Redis URL (redis://, rediss://, redis-sentinel:// or"
              + " comma-separated cluster nodes)",
          e);
    }
  }

  RedisClusterCommands<String, String> commands() {
    return commands;
  }

  @Override
  public void close() {
    pubSub.close();
    commandConnection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  private static ClusterClientOptions clusterOptions() {
    ClusterClientOptions.Builder builder =
        ClusterClientOptions.builder()
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(CLUSTER_TOPOLOGY_REFRESH)
                    .enableAllAdaptiveRefreshTriggers()
                    .build());
    options(builder);
    return builder.build();
  }

  private static <B extends ClientOptions.Builder> B options(B builder) {
    builder
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
        .socketOptions(
            SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).keepAlive(true).build());
    return builder;
  }
}
