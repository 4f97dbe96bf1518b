/**
 * In-process twins of the five Lua algorithms ({@link
 * dev.tollgate.limiter.local.LocalRateLimiter}): the same arithmetic in the same order, so the same
 * sequence of requests and times gives the same figures as Redis. Used as the embedded limiter (no
 * Redis configured) and for {@code failureMode: local}. State lives in a bounded Caffeine cache and
 * expires when the Lua key's TTL would.
 */
package dev.tollgate.limiter.local;
