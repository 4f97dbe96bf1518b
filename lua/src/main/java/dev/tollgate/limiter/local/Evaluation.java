package dev.tollgate.limiter.local;

/**
 * What one algorithm says about one request, in the units of the Lua reply.
 *
 * @param next the state to store if the whole request is admitted; {@code null} when this limit
 *     rejects
 * @param expiresAtMicros when {@code next} stops being relevant (where the Lua key's TTL ends)
 */
record Evaluation(
    boolean allowed,
    long remaining,
    long resetMicros,
    long retryMicros,
    LimitState next,
    long expiresAtMicros) {

  static Evaluation admit(long remaining, long resetMicros, LimitState next, long expiresAtMicros) {
    return new Evaluation(true, Math.max(remaining, 0), resetMicros, 0, next, expiresAtMicros);
  }

  static Evaluation reject(long remaining, long resetMicros, long retryMicros) {
    return new Evaluation(false, Math.max(remaining, 0), resetMicros, retryMicros, null, 0);
  }
}
