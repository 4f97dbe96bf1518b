package dev.tollgate.operator.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens the operator's one Redis connection. Credentials from {@code TOLLGATE_REDIS_USERNAME} /
 * {@code _PASSWORD} win over those in the URL, so a URL from a ConfigMap can be combined with a
 * password from a Secret.
 *
 * <p>Unlike the gateway's limiter, the operator keeps Lettuce's queue-while-disconnected behaviour
 * off as well: a snapshot write that cannot reach Redis should fail fast and be retried from fresh
 * caches, never replayed later with stale content.
 */
public final class RedisConnector implements AutoCloseable {
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  private RedisConnector(RedisClient client) {
    this.client = client;
    this.connection = client.connect();
  }

  public static RedisConnector connect(
      String url, Optional<String> username, Optional<String> password) {
    RedisURI.Builder uri = RedisURI.builder(RedisURI.create(url)).withTimeout(COMMAND_TIMEOUT);
    if (password.isPresent()) {
      uri =
          username.isPresent()
              ? uri.withAuthentication(username.get(), password.get())
              : uri.withPassword(password.get());
    }
    RedisClient client = RedisClient.create(uri.build());
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build());
    return new RedisConnector(client);
  }

  public StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
