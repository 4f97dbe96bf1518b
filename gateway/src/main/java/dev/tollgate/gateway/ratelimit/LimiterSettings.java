package dev.tollgate.gateway.ratelimit;

import dev.tollgate.api.common.DurationStrings;
import dev.tollgate.redis.RedisSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The limiter's settings.
 *
 * @param redis where limits are decided and who is {@code <gw>} in their keys; empty = the
 *     in-process limiter (single node)
 * @param timeout {@code TOLLGATE_LIMITER_TIMEOUT}: the Redis time budget of one decision, after
 *     which the policies' failure modes apply
 * @param replicas {@code TOLLGATE_LIMITER_REPLICAS}: how many gateway pods share the traffic. With
 *     {@code failureMode: local} each pod enforces {@code limit / replicas} while Redis is away.
 *     The Helm chart sets it from the gateway's replica count (with an HPA: its minimum, so that
 *     the pods together never admit more than the limit while scaled in); default 1.
 */
public record LimiterSettings(Optional<RedisSettings> redis, Duration timeout, int replicas) {
  public static final String TIMEOUT = "TOLLGATE_LIMITER_TIMEOUT";
  public static final String REPLICAS = "TOLLGATE_LIMITER_REPLICAS";

  public LimiterSettings {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(TIMEOUT + " must be positive, got " + timeout);
    }
    if (replicas < 1) {
      throw new IllegalArgumentException(REPLICAS + " must be at least 1, got " + replicas);
    }
  }

  public static LimiterSettings from(
      Function<String, String> lookup, Optional<RedisSettings> redis) {
    String replicas = value(lookup, REPLICAS).orElse("1");
    int parsedReplicas;
    try {
      parsedReplicas = Integer.parseInt(replicas);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(REPLICAS + " must be a number, got '" + replicas + "'");
    }
    return new LimiterSettings(
        redis, DurationStrings.parse(value(lookup, TIMEOUT).orElse("50ms")), parsedReplicas);
  }

  private static Optional<String> value(Function<String, String> lookup, String name) {
    return Optional.ofNullable(lookup.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
  }
}
