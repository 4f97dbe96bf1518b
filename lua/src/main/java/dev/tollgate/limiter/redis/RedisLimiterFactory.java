package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.LimiterUnavailableException.Reason;
import dev.tollgate.limiter.OverLimitCache;
import dev.tollgate.limiter.RateLimiter;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import java.time.InstantSource;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Builds the Redis limiter from {@code TOLLGATE_REDIS_URL}: standalone, sentinel or cluster, one
 * shared connection, the limiter's Lettuce settings, the script loaded once, and the over-limit
 * cache in front.
 */
public final class RedisLimiterFactory {
  private static final Logger LOG = Logger.getLogger(RedisLimiterFactory.class.getName());

  /** The production clock fragment ignores the clock argument. */
  private static final Supplier<String> REDIS_TIME = () -> "";

  private RedisLimiterFactory() {}

  /**
   * Connects and returns the limiter; close it to close the connection.
   *
   * @throws IllegalArgumentException when the URL is malformed (the message names the variable)
   * @throws LimiterUnavailableException (DISCONNECTED) when Redis cannot be reached at start
   */
  public static RateLimiter create(String url, RedisLimiterOptions options) {
    RateLimiter limiter = connect(url, options, LimiterScript.production(), REDIS_TIME);
    return options.overLimitCacheSize() == 0
        ? limiter
        : new OverLimitCache(limiter, InstantSource.system(), options.overLimitCacheSize());
  }

  /** The engine without the over-limit cache, with a given script and clock argument (tests). */
  static RedisRateLimiter connect(
      String url, RedisLimiterOptions options, LimiterScript script, Supplier<String> clock) {
    return connect(url, options, script, clock, true);
  }

  /** The same, with batching on or off (off: the benchmark's baseline). */
  static RedisRateLimiter connect(
      String url,
      RedisLimiterOptions options,
      LimiterScript script,
      Supplier<String> clock,
      boolean batched) {
    RedisTarget target = RedisTarget.parse(url);
    ClientResources resources = LettuceSettings.resources(options);
    Connected connected;
    try {
      connected = open(target, options, resources);
    } catch (RedisException e) {
      resources.shutdown();
      throw new LimiterUnavailableException(
          Reason.DISCONNECTED,
          "cannot connect to " + RedisTarget.redacted(url) + ": " + e.getMessage(),
          e);
    }
    ScriptRunner runner = new ScriptRunner(connected.commands(), script);
    // Load now (waiting at most one command timeout) so the first decision does not pay for it;
    // if this load fails or Redis loses the script later, EVALSHA gets NOSCRIPT and loads it again.
    try {
      runner.load().get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.WARNING, "could not load the limiter script at start; will on first use", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new RedisRateLimiter(
        new ScriptCalls(
            runner, clock, options.decisionBudget(), options.requestQueueSize(), batched),
        new SlotGrouping(new RedisKeys(options.gatewayName()), connected.cluster()),
        options.decisionBudget(),
        () -> {
          connected.closer().close();
          resources.shutdown();
        });
  }

  /** One open connection, whichever kind of Redis it goes to. */
  private record Connected(
      RedisScriptingAsyncCommands<byte[], byte[]> commands,
      boolean cluster,
      AutoCloseable closer) {}

  private static Connected open(
      RedisTarget target, RedisLimiterOptions options, ClientResources resources) {
    return switch (target) {
      case RedisTarget.Standalone standalone ->
          single(RedisClient.create(resources, standalone.uri()), options);
      case RedisTarget.Sentinel sentinel ->
          single(RedisClient.create(resources, sentinel.uri()), options);
      case RedisTarget.Cluster cluster ->
          cluster(RedisClusterClient.create(resources, cluster.seeds()), options);
    };
  }

  private static Connected single(RedisClient client, RedisLimiterOptions options) {
    client.setOptions(LettuceSettings.client(options));
    return opened(
        client::shutdown,
        () -> {
          StatefulRedisConnection<byte[], byte[]> connection =
              client.connect(ByteArrayCodec.INSTANCE);
          return new Connected(connection.async(), false, connection::close);
        });
  }

  private static Connected cluster(RedisClusterClient client, RedisLimiterOptions options) {
    client.setOptions(LettuceSettings.cluster(options));
    return opened(
        client::shutdown,
        () -> {
          StatefulRedisClusterConnection<byte[], byte[]> connection =
              client.connect(ByteArrayCodec.INSTANCE);
          // Lettuce opens node connections lazily, and with REJECT_COMMANDS a command for a node
          // whose connection is still opening is rejected: open them all now.
          connection
              .getPartitions()
              .forEach(
                  node ->
                      connection.getConnection(node.getUri().getHost(), node.getUri().getPort()));
          return new Connected(connection.async(), true, connection::close);
        });
  }

  /** Connects; the client is shut down when connecting fails or, later, with the connection. */
  private static Connected opened(Runnable shutdownClient, Supplier<Connected> connect) {
    Connected connected;
    try {
      connected = connect.get();
    } catch (RedisException e) {
      shutdownClient.run();
      throw e;
    }
    return new Connected(
        connected.commands(),
        connected.cluster(),
        () -> {
          connected.closer().close();
          shutdownClient.run();
        });
  }
}
