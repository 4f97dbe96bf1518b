package dev.tollgate.limiter.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Lettuce settings of the limiter connection, overriding the defaults a limiter must not have. */
final class LettuceSettings {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(30);

  private LettuceSettings() {}

  static ClientResources resources(RedisLimiterOptions options) {
    return ClientResources.builder()
        .reconnectDelay(
            Delay.exponential(
                Duration.ofMillis(10), options.maxReconnectDelay(), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  static ClientOptions client(RedisLimiterOptions options) {
    return apply(ClientOptions.builder(), options).build();
  }

  static ClusterClientOptions cluster(RedisLimiterOptions options) {
    ClusterClientOptions.Builder builder =
        ClusterClientOptions.builder()
            .topologyRefreshOptions(
                ClusterTopologyRefreshOptions.builder()
                    .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                    .enableAllAdaptiveRefreshTriggers()
                    .build());
    apply(builder, options);
    return builder.build();
  }

  private static ClientOptions.Builder apply(
      ClientOptions.Builder builder, RedisLimiterOptions options) {
    return builder
        .autoReconnect(true)
        // Fail fast while disconnected: queued decisions would only be answered after the budget.
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(options.requestQueueSize())
        .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
        // A script in flight when the connection dropped was already answered (as a failure) to
        // its caller; replaying it after reconnect would charge a request that was decided.
        .replayFilter(LettuceSettings::isScript)
        .socketOptions(
            SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build());
  }

  private static boolean isScript(RedisCommand<?, ?, ?> command) {
    return command.getType() == CommandType.EVALSHA || command.getType() == CommandType.EVAL;
  }
}
