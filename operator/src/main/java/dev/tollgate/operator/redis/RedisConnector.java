package dev.tollgate.operator.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Opens the operator's one Redis connection: {@code redis://}, {@code rediss://} or {@code
 * redis-sentinel://} for one server, or comma-separated {@code redis://} seeds for a Redis Cluster
 * (the same rule as the gateway's {@code TOLLGATE_REDIS_URL}). All config keys of one gateway
 * instance share a hash slot ({@code ConfigKeys}), so every command and script the operator sends
 * goes to one node. Credentials from {@code TOLLGATE_REDIS_USERNAME} / {@code _PASSWORD} win over
 * those in the URL, so a URL from a ConfigMap can be combined with a password from a Secret.
 *
 * <p>Unlike the gateway's limiter, the operator keeps Lettuce's queue-while-disconnected behaviour
 * off as well: a snapshot write that cannot reach Redis should fail fast and be retried from fresh
 * caches, never replayed later with stale content.
 */
public final class RedisConnector implements AutoCloseable {
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration CLUSTER_TOPOLOGY_REFRESH = Duration.ofSeconds(30);

  private final AbstractRedisClient client;
  private final StatefulConnection<String, String> connection;
  private final RedisClusterCommands<String, String> commands;

  private RedisConnector(
      AbstractRedisClient client,
      StatefulConnection<String, String> connection,
      RedisClusterCommands<String, String> commands) {
    this.client = client;
    this.connection = connection;
    this.commands = commands;
  }

  public static RedisConnector connect(
      String url, Optional<String> username, Optional<String> password) {
    List<RedisURI> nodes =
        Arrays.stream(url.strip().split(","))
            .map(node -> withCredentials(node.strip(), username, password))
            .toList();
    if (nodes.size() == 1) {
      RedisClient single = RedisClient.create(nodes.get(0));
      single.setOptions(options(ClientOptions.builder()).build());
      StatefulRedisConnection<String, String> connection = single.connect();
      return new RedisConnector(single, connection, connection.sync());
    }
    RedisClusterClient cluster = RedisClusterClient.create(nodes);
    cluster.setOptions(
        options(ClusterClientOptions.builder())
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(CLUSTER_TOPOLOGY_REFRESH)
                    .enableAllAdaptiveRefreshTriggers()
                    .build())
            .build());
    try {
      StatefulRedisClusterConnection<String, String> connection = cluster.connect();
      // Node connections open lazily, and while one is opening REJECT_COMMANDS refuses commands
      // for its slots (the gateway's first snapshot GET failed that way): open them all now.
      connection
          .getPartitions()
          .forEach(n -> connection.getConnection(n.getUri().getHost(), n.getUri().getPort()));
      return new RedisConnector(cluster, connection, connection.sync());
    } catch (RuntimeException e) {
      cluster.shutdown();
      throw e;
    }
  }

  /** Commands for standalone and cluster alike; a cluster routes each by its key's slot. */
  public RedisClusterCommands<String, String> commands() {
    return commands;
  }

  public boolean isOpen() {
    return connection.isOpen();
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }

  private static RedisURI withCredentials(
      String node, Optional<String> username, Optional<String> password) {
    RedisURI.Builder uri = RedisURI.builder(RedisURI.create(node)).withTimeout(COMMAND_TIMEOUT);
    if (password.isPresent()) {
      uri =
          username.isPresent()
              ? uri.withAuthentication(username.get(), password.get())
              : uri.withPassword(password.get());
    }
    return uri.build();
  }

  private static <B extends ClientOptions.Builder> B options(B builder) {
    builder
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT));
    return builder;
  }
}
