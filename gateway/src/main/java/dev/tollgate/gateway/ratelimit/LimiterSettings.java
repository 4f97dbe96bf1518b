package dev.tollgate.gateway.ratelimit;

import dev.tollgate.api.common.Settings;
import dev.tollgate.redis.RedisSettings;
import java.time.Duration;
import java.util.Optional;

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
 * @param ipv6KeyPrefix {@code TOLLGATE_CLIENT_IPV6_PREFIX}: the network prefix an IPv6 client
 *     address is cut to in {@code clientIP} key parts (1-128; 128 = per address); default 64
 */
public record LimiterSettings(
    Optional<RedisSettings> redis, Duration timeout, int replicas, int ipv6KeyPrefix) {
  public static final String TIMEOUT = "TOLLGATE_LIMITER_TIMEOUT";
  public static final String REPLICAS = "TOLLGATE_LIMITER_REPLICAS";
  public static final String IPV6_PREFIX = "TOLLGATE_CLIENT_IPV6_PREFIX";

  public LimiterSettings {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(TIMEOUT + " must be positive, got " + timeout);
    }
    if (replicas < 1) {
      throw new IllegalArgumentException(REPLICAS + " must be at least 1, got " + replicas);
    }
    if (ipv6KeyPrefix < 1 || ipv6KeyPrefix > 128) {
      throw new IllegalArgumentException(IPV6_PREFIX + " must be 1..128, got " + ipv6KeyPrefix);
    }
  }

  /** Reads {@value #TIMEOUT}, {@value #REPLICAS} and {@value #IPV6_PREFIX}. */
  public static LimiterSettings from(Settings settings, Optional<RedisSettings> redis) {
    return new LimiterSettings(
        redis,
        settings.duration(TIMEOUT),
        settings.positive(REPLICAS),
        settings.integer(IPV6_PREFIX, 1, 128));
  }
}
