package dev.tollgate.redis;

import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The wait before each reconnect attempt of every Tollgate Redis connection ({@link
 * LettuceOptions}: the gateways' limiter and config source, the operator) and of the gateway's
 * first-connect retries: exponential from {@value #BASE_MILLIS} ms, capped, and with full jitter
 * (each wait drawn uniformly between the floor and the current exponential bound). Every gateway of
 * a fleet loses Redis at the same moment in a failover; without jitter they all came back in
 * lockstep, each retry wave hitting the new primary at once.
 */
public final class RedisBackoff {
  static final long BASE_MILLIS = 10;

  private RedisBackoff() {}

  /** A Lettuce reconnect delay capped at {@code max}. */
  public static Delay reconnectDelay(Duration max) {
    return Delay.fullJitter(
        Duration.ofMillis(BASE_MILLIS), max, BASE_MILLIS, TimeUnit.MILLISECONDS);
  }
}
