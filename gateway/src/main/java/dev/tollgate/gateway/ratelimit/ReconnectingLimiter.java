package dev.tollgate.gateway.ratelimit;

import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.redis.RedisBackoff;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps trying to open the Redis limiter when Redis is unreachable at start, waiting a jittered,
 * growing interval between attempts ({@link RedisBackoff}, capped at the retry interval). Once
 * open, the engine reconnects by itself (Lettuce); only the first connection needs this. Until then
 * every decision fails fast with {@code DISCONNECTED}, so the policies' failure modes apply instead
 * of requests waiting for a connection.
 */
final class ReconnectingLimiter implements RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(ReconnectingLimiter.class);

  private final Supplier<RateLimiter> connector;
  private final Delay backoff;
  private final AtomicReference<RateLimiter> connected = new AtomicReference<>();
  private final AtomicBoolean connecting = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * @param maxRetryInterval the longest wait between two connection attempts
   */
  ReconnectingLimiter(Supplier<RateLimiter> connector, Duration maxRetryInterval) {
    this.connector = connector;
    this.backoff = RedisBackoff.reconnectDelay(maxRetryInterval);
    tryConnect();
    if (connected.get() == null) {
      startRetrying();
    }
  }

  @Override
  public CompletionStage<LimitDecision> decide(LimitRequest request) {
    RateLimiter limiter = connected.get();
    if (limiter != null) {
      return limiter.decide(request);
    }
    return CompletableFuture.failedFuture(
        new LimiterUnavailableException(
            LimiterUnavailableException.Reason.DISCONNECTED,
            "Redis has not been reachable since the gateway started",
            null));
  }

  boolean isConnected() {
    return connected.get() != null;
  }

  private void tryConnect() {
    try {
      connected.set(connector.get());
    } catch (LimiterUnavailableException e) {
      LOG.warn("Redis limiter not reachable yet: " + e.getMessage());
    }
  }

  private void startRetrying() {
    if (!connecting.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual()
        .name("redis-limiter-connect")
        .start(
            () -> {
              long attempt = 0;
              while (!closed && connected.get() == null) {
                try {
                  Thread.sleep(backoff.createDelay(++attempt));
                } catch (InterruptedException e) {
                  return;
                }
                tryConnect();
              }
              // closed while the last attempt connected: do not leak the connection
              RateLimiter late = closed ? connected.getAndSet(null) : null;
              if (late != null) {
                late.close();
              }
            });
  }

  @Override
  public void close() {
    closed = true;
    RateLimiter limiter = connected.getAndSet(null);
    if (limiter != null) {
      limiter.close();
    }
  }
}
