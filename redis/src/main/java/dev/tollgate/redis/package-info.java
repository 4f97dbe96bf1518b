/**
 * How every part of Tollgate reaches Redis: {@link dev.tollgate.redis.RedisSettings} (the one
 * reading of {@code TOLLGATE_REDIS_URL}, its credentials and the instance name), {@link
 * dev.tollgate.redis.LettuceOptions} (the one set of client options) and {@link
 * dev.tollgate.redis.RedisConnection} (standalone, sentinel or cluster behind one interface). The
 * limiter engine, the gateway's config source and the operator all connect through it.
 */
package dev.tollgate.redis;
