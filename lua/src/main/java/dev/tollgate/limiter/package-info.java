/**
 * The rate-limit engine's public model: limit definitions (validated records), a request to decide
 * ({@link dev.tollgate.limiter.LimitRequest}), the decision with per-limit figures ({@link
 * dev.tollgate.limiter.LimitDecision}), and the {@link dev.tollgate.limiter.RateLimiter} interface
 * that the Redis engine ({@code .redis}) and the in-process engine ({@code .local}) implement, so
 * the gateway can swap them (embedded default, fail-local).
 */
package dev.tollgate.limiter;
