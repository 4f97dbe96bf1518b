package dev.tollgate.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;

/**
 * The one set of Lettuce options every Tollgate connection uses, overriding the defaults that suit
 * a cache client but not a limiter on the request path or a config writer (DESIGN.md "Rate
 * limiting"): every command has a timeout, the request queue is bounded, commands are rejected (not
 * queued) while disconnected, scripts are never replayed after a reconnect, and the reconnect
 * backoff is jittered and capped. Only the numbers differ between connections.
 *
 * @param commandTimeout longest any command may wait for its reply
 * @param requestQueueSize bound on commands waiting for the connection; beyond it they fail fast
 * @param maxReconnectDelay cap of the jittered exponential reconnect backoff ({@link RedisBackoff})
 */
public record LettuceOptions(
    Duration commandTimeout, int requestQueueSize, Duration maxReconnectDelay) {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Periodic cluster topology re-read, the safety net when no adaptive trigger fires: 10 s (one
   * CLUSTER NODES per node per connection; Lettuce's default is 60 s).
   */
  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(10);

  /**
   * Least time between two adaptive refreshes (MOVED, ASK, persistent reconnects, uncovered slot).
   * With Lettuce's default of 30 s, the first refresh (triggered by reconnect attempts to a master
   * that died, before its replica is promoted) blocks the one that would find the promoted replica,
   * leaving that master's slots to the 10 s periodic refresh. With 1 s, commands reached the
   * promoted replica 30 ms after its promotion in RedisFailoverIT.
   */
  private static final Duration ADAPTIVE_REFRESH_GAP = Duration.ofSeconds(1);

  public LettuceOptions {
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout: " + commandTimeout + " must be > 0");
    }
    if (requestQueueSize < 1) {
      throw new IllegalArgumentException("requestQueueSize: " + requestQueueSize + " must be >= 1");
    }
  }

  /**
   * The config connections of gateways and operator: 2 s per command (a few small reads and writes
   * at a time), 1,000 queued commands, reconnect backoff capped at 2 s.
   */
  public static LettuceOptions control() {
    return new LettuceOptions(Duration.ofSeconds(2), 1_000, Duration.ofSeconds(2));
  }

  /**
   * Caps what Lettuce waits for a new connection to {@code node} to become usable: the URI's
   * timeout bounds the handshake (TLS, HELLO, AUTH, CLIENT SETINFO) and, for a sentinel URI, the
   * sentinels' answers, and is 60 s unless the URL sets less. A Redis that accepted TCP but never
   * answered (a frozen process, another service on the port) held a connect for that minute.
   */
  static void limitHandshake(RedisURI node) {
    if (node.getTimeout().compareTo(CONNECT_TIMEOUT) > 0) {
      node.setTimeout(CONNECT_TIMEOUT);
    }
    node.getSentinels().forEach(LettuceOptions::limitHandshake);
  }

  public ClientResources resources() {
    return ClientResources.builder()
        .reconnectDelay(RedisBackoff.reconnectDelay(maxReconnectDelay))
        .build();
  }

  public ClientOptions client() {
    return apply(ClientOptions.builder()).build();
  }

  public ClusterClientOptions cluster() {
    ClusterClientOptions.Builder builder =
        ClusterClientOptions.builder()
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                    .enableAllAdaptiveRefreshTriggers()
                    .adaptiveRefreshTriggersTimeout(ADAPTIVE_REFRESH_GAP)
                    .build());
    apply(builder);
    return builder.build();
  }

  private ClientOptions.Builder apply(ClientOptions.Builder builder) {
    return builder
        .autoReconnect(true)
        // Fail fast while disconnected: a queued decision would be answered after its budget, a
        // queued snapshot write replayed later with stale content.
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(requestQueueSize)
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        // A script in flight when the connection dropped was already answered (as a failure) to
        // its caller; replaying it after reconnect would charge a request that was decided, or
        // write a snapshot the writer has given up on.
        .replayFilter(LettuceOptions::isScript)
        .socketOptions(
            SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build());
  }

  private static boolean isScript(RedisCommand<?, ?, ?> command) {
    return command.getType() == CommandType.EVALSHA || command.getType() == CommandType.EVAL;
  }
}
