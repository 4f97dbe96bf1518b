package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.LimiterUnavailableException.Reason;
import dev.tollgate.limiter.OverLimitCache;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.redis.RedisTarget;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.time.InstantSource;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Redis limiter from a {@link RedisTarget}: a standalone Redis through the limiter's own
 * sockets ({@link DirectScriptRunner}); sentinel or cluster through one shared connection ({@link
 * RedisConnection}) with the limiter's Lettuce options; the script loaded once, and the over-limit
 * cache in front.
 */
public final class RedisLimiterFactory {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLimiterFactory.class);

  private RedisLimiterFactory() {}

  /**
   * Connects to {@code url} (credentials as the URL gives them) and returns the limiter; close it
   * to close the connection.
   *
   * @throws IllegalArgumentException when the URL is malformed (the message names the variable)
   * @throws LimiterUnavailableException (DISCONNECTED) when Redis cannot be reached at start
   */
  public static RateLimiter create(String url, RedisLimiterOptions options) {
    return create(RedisTarget.parse(url), options);
  }

  /** As {@link #create(String, RedisLimiterOptions)}, for a target with its credentials applied. */
  public static RateLimiter create(RedisTarget target, RedisLimiterOptions options) {
    RateLimiter limiter =
        connect(target, options, LimiterScript.production(), ScriptClock.REDIS_TIME, true);
    return options.overLimitCacheBytes() == 0
        ? limiter
        : new OverLimitCache(limiter, InstantSource.system(), options.overLimitCacheBytes());
  }

  /** The engine without the over-limit cache, with a given script and clock (tests). */
  static RedisRateLimiter connect(
      String url, RedisLimiterOptions options, LimiterScript script, ScriptClock clock) {
    return connect(url, options, script, clock, true);
  }

  /** The same, with batching on or off (off: the benchmark's baseline). */
  static RedisRateLimiter connect(
      String url,
      RedisLimiterOptions options,
      LimiterScript script,
      ScriptClock clock,
      boolean batched) {
    return connect(RedisTarget.parse(url), options, script, clock, batched);
  }

  private static RedisRateLimiter connect(
      RedisTarget target,
      RedisLimiterOptions options,
      LimiterScript script,
      ScriptClock clock,
      boolean batched) {
    if (batched
        && target instanceof RedisTarget.Standalone standalone
        && SocketSecurity.supports(standalone.uri())) {
      DirectScriptRunner runner = direct(standalone.uri(), options, script);
      return assemble(runner, false, options, clock, true, runner);
    }
    RedisConnection<byte[], byte[]> connection;
    try {
      connection = RedisConnection.open(target, options.lettuce(), ByteArrayCodec.INSTANCE);
    } catch (RedisException e) {
      throw unreachable(target.nodes().getFirst(), e);
    }
    return assemble(
        new ScriptRunner(connection.async(), script),
        connection.cluster(),
        options,
        clock,
        batched,
        connection::close);
  }

  /**
   * A standalone Redis, plain or TLS, gets the limiter's own sockets ({@link DirectScriptRunner}):
   * one node, nothing to discover. Sentinel and Cluster keep Lettuce, which follows failovers and
   * slot moves, and so do the TLS modes the own sockets do not offer ({@link SocketSecurity}).
   */
  private static DirectScriptRunner direct(
      RedisURI uri, RedisLimiterOptions options, LimiterScript script) {
    DirectScriptRunner runner =
        new DirectScriptRunner(
            uri,
            script,
            options.commandTimeout(),
            options.callTimeout(),
            options.decisionBudget(),
            options.maxReconnectDelay());
    try {
      runner.connect();
      return runner;
    } catch (IOException e) {
      runner.close();
      throw unreachable(uri, e);
    }
  }

  private static LimiterUnavailableException unreachable(RedisURI node, Exception e) {
    return new LimiterUnavailableException(
        Reason.DISCONNECTED, "cannot connect to " + node + ": " + e.getMessage(), e);
  }

  private static RedisRateLimiter assemble(
      ScriptTransport transport,
      boolean cluster,
      RedisLimiterOptions options,
      ScriptClock clock,
      boolean batched,
      AutoCloseable connection) {
    loadAtStart(transport, options);
    return new RedisRateLimiter(
        new ScriptCalls(
            transport, clock, options.decisionBudget(), options.requestQueueSize(), batched),
        new SlotGrouping(new RedisKeys(options.gatewayName()), cluster),
        options.decisionBudget(),
        connection);
  }

  // Load now (waiting at most one command timeout) so the first decision does not pay for it;
  // if this load fails or Redis loses the script later, EVALSHA gets NOSCRIPT and loads it again.
  private static void loadAtStart(ScriptTransport transport, RedisLimiterOptions options) {
    try {
      transport.load().get(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("could not load the limiter script at start; will on first use", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
