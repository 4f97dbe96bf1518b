package dev.tollgate.analytics.store;

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
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The analytics service's Redis: one server ({@code redis://}, {@code rediss://}, {@code
 * redis-sentinel://}) or a cluster (comma-separated seeds), like the gateways'. Two connections:
 * one for the consumer, whose {@code XREADGROUP ... BLOCK} holds it for up to a second, and one
 * shared by reports, surge checks and gauges. Commands fail at once while disconnected (nothing is
 * replayed later) and every command has a timeout; the consumer simply retries its batch.
 */
public final class AnalyticsRedis implements AutoCloseable {
  /** Longer than the consumer's one-second block, short enough to notice a hung server. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  private final AbstractRedisClient client;
  private final List<StatefulConnection<String, String>> connections;
  private final RedisClusterCommands<String, String> consumer;
  private final RedisClusterAsyncCommands<String, String> shared;

  private AnalyticsRedis(
      AbstractRedisClient client,
      List<StatefulConnection<String, String>> connections,
      RedisClusterCommands<String, String> consumer,
      RedisClusterAsyncCommands<String, String> shared) {
    this.client = client;
    this.connections = connections;
    this.consumer = consumer;
    this.shared = shared;
  }

  /**
   * @throws RedisException when Redis cannot be reached (nothing is left open)
   * @throws IllegalArgumentException naming {@code TOLLGATE_REDIS_URL} when it is malformed
   */
  public static AnalyticsRedis connect(
      String url, Optional<String> username, Optional<String> password) {
    List<RedisURI> nodes = new ArrayList<>();
    for (String node : url.split(",")) {
      nodes.add(node(node.strip(), username, password));
    }
    if (nodes.size() == 1) {
      RedisClient single = RedisClient.create(nodes.getFirst());
      single.setOptions(options(ClientOptions.builder()).build());
      try {
        StatefulRedisConnection<String, String> blocking = single.connect();
        StatefulRedisConnection<String, String> other = single.connect();
        return new AnalyticsRedis(single, List.of(blocking, other), blocking.sync(), other.async());
      } catch (RuntimeException e) {
        single.shutdown();
        throw e;
      }
    }
    RedisClusterClient cluster = RedisClusterClient.create(nodes);
    cluster.setOptions(
        options(ClusterClientOptions.builder())
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(Duration.ofSeconds(30))
                    .enableAllAdaptiveRefreshTriggers()
                    .build())
            .build());
    try {
      StatefulRedisClusterConnection<String, String> blocking = opened(cluster.connect());
      StatefulRedisClusterConnection<String, String> other = opened(cluster.connect());
      return new AnalyticsRedis(cluster, List.of(blocking, other), blocking.sync(), other.async());
    } catch (RuntimeException e) {
      cluster.shutdown();
      throw e;
    }
  }

  /**
   * Node connections open lazily, and while one is opening REJECT_COMMANDS refuses commands for its
   * slots: open them all now.
   */
  private static StatefulRedisClusterConnection<String, String> opened(
      StatefulRedisClusterConnection<String, String> connection) {
    connection
        .getPartitions()
        .forEach(n -> connection.getConnection(n.getUri().getHost(), n.getUri().getPort()));
    return connection;
  }

  private static RedisURI node(String node, Optional<String> username, Optional<String> password) {
    RedisURI uri;
    try {
      uri = RedisURI.create(node);
    } catch (IllegalArgumentException e) {
      // the URL may carry a password: never echo it
      throw new IllegalArgumentException(
          "TOLLGATE_REDIS_URL: not a Redis URL (redis://, rediss://, redis-sentinel:// or"
              + " comma-separated cluster nodes)",
          e);
    }
    uri.setTimeout(COMMAND_TIMEOUT);
    if (password.isPresent()) {
      uri.setCredentialsProvider(
          io.lettuce.core.RedisCredentialsProvider.from(
              () ->
                  io.lettuce.core.RedisCredentials.just(
                      username.orElse(null), password.get().toCharArray())));
    }
    return uri;
  }

  private static <B extends ClientOptions.Builder> B options(B builder) {
    builder
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
        .socketOptions(
            SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).keepAlive(true).build());
    return builder;
  }

  /** The consumer's connection (blocking reads); use from one thread. */
  public RedisClusterCommands<String, String> consumer() {
    return consumer;
  }

  /** The shared connection, pipelined: reports send many reads before awaiting them. */
  public RedisClusterAsyncCommands<String, String> shared() {
    return shared;
  }

  @Override
  public void close() {
    connections.forEach(StatefulConnection::close);
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
