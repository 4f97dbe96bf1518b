/**
 * The Redis limiter engine: {@link dev.tollgate.limiter.redis.RedisLimiterFactory} builds a {@link
 * dev.tollgate.limiter.RateLimiter} from {@code TOLLGATE_REDIS_URL}; {@link
 * dev.tollgate.limiter.redis.RedisKeys} is the only place Redis keys are built; {@link
 * dev.tollgate.limiter.redis.LimiterScript} composes the Lua fragments into the one script that
 * decides all limits of a request in one round trip per cluster slot.
 */
package dev.tollgate.limiter.redis;
