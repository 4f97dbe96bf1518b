package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.OverLimitCache;
import dev.tollgate.redis.LettuceOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Redis engine talks to Redis. Lettuce's defaults suit a cache client, not a limiter on the
 * request path, so each one that matters is set here (see DESIGN.md "Rate limiting").
 *
 * @param gatewayName the {@code <gw>} in Redis keys ({@code TOLLGATE_GATEWAY_NAME})
 * @param decisionBudget longest a decision may take ({@code TOLLGATE_LIMITER_TIMEOUT}); after that
 *     the caller gets a TIMEOUT failure and applies its failure mode
 * @param commandTimeout how long a call to Redis may wait at least ({@link #callTimeout}), and the
 *     first connection at start at most; commands never wait forever
 * @param requestQueueSize bound on commands waiting for the connection; beyond it they fail fast
 * @param maxReconnectDelay cap of the exponential reconnect backoff
 * @param overLimitCacheBytes heap the clients remembered as limited-until-T may take, by {@link
 *     OverLimitCache}'s estimate (0 disables the cache)
 */
public record RedisLimiterOptions(
    String gatewayName,
    Duration decisionBudget,
    Duration commandTimeout,
    int requestQueueSize,
    Duration maxReconnectDelay,
    long overLimitCacheBytes) {

  public static final Duration DEFAULT_BUDGET = Duration.ofMillis(50);

  public RedisLimiterOptions {
    Objects.requireNonNull(gatewayName, "gatewayName: must be set");
    requirePositive("decisionBudget", decisionBudget);
    requirePositive("commandTimeout", commandTimeout);
    requirePositive("maxReconnectDelay", maxReconnectDelay);
    if (requestQueueSize < 1) {
      throw new IllegalArgumentException(
          "requestQueueSize: " + requestQueueSize + " must be at least 1");
    }
    if (overLimitCacheBytes < 0) {
      throw new IllegalArgumentException(
          "overLimitCacheBytes: " + overLimitCacheBytes + " must be 0 (off) or more");
    }
  }

  /**
   * Defaults: 50 ms budget; command timeout of 1 s (the budget already bounds a decision, the
   * command timeout only frees Lettuce's queue); 10,000 queued commands (about 0.1 s of traffic at
   * 100k decisions/s); reconnect backoff capped at 2 s; the over-limit cache's default budget, a
   * sixteenth of the maximum heap.
   */
  public static RedisLimiterOptions defaults(String gatewayName) {
    return new RedisLimiterOptions(
        gatewayName,
        DEFAULT_BUDGET,
        Duration.ofSeconds(1),
        10_000,
        Duration.ofSeconds(2),
        OverLimitCache.defaultMaximumBytes());
  }

  public RedisLimiterOptions withDecisionBudget(Duration budget) {
    return new RedisLimiterOptions(
        gatewayName,
        budget,
        commandTimeout,
        requestQueueSize,
        maxReconnectDelay,
        overLimitCacheBytes);
  }

  public RedisLimiterOptions withOverLimitCacheBytes(long bytes) {
    return new RedisLimiterOptions(
        gatewayName, decisionBudget, commandTimeout, requestQueueSize, maxReconnectDelay, bytes);
  }

  /**
   * How long one call to Redis may wait, on either path: the command timeout, or the decision
   * budget where that is longer. A decision's callers wait their budget anyway, and a shorter cut
   * failed decisions that had budget left (a socket's handshake in a CPU-starved pod, Lettuce's
   * command timeout under a budget of seconds).
   */
  public Duration callTimeout() {
    return commandTimeout.compareTo(decisionBudget) >= 0 ? commandTimeout : decisionBudget;
  }

  /** The connection's Lettuce options: the shared set, with the limiter's numbers. */
  public LettuceOptions lettuce() {
    return new LettuceOptions(callTimeout(), requestQueueSize, maxReconnectDelay);
  }

  private static void requirePositive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": " + value + " must be a positive duration");
    }
  }
}
