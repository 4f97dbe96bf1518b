package dev.tollgate.limiter.local;

/**
 * What one algorithm says about one request, in the units of the Lua reply.
 *
 * @param remaining after this request when admitted
 * @param next the state to store if the whole request is admitted; {@code null} when this limit
 *     rejects
 * @param expiresAtMicros when {@code next} stops being relevant (where the Lua key's TTL ends)
 * @param idleRemaining remaining without this request (reported when another limit rejects)
 * @param idleResetMicros reset without this request
 */
record Evaluation(
    boolean allowed,
    long remaining,
    long resetMicros,
    long retryMicros,
    LimitState next,
    long expiresAtMicros,
    long idleRemaining,
    long idleResetMicros) {

  static Evaluation admit(
      long remaining,
      long resetMicros,
      LimitState next,
      long expiresAtMicros,
      long idleRemaining,
      long idleResetMicros) {
    return new Evaluation(
        true,
        Math.max(remaining, 0),
        resetMicros,
        0,
        next,
        expiresAtMicros,
        Math.max(idleRemaining, 0),
        idleResetMicros);
  }

  static Evaluation reject(long remaining, long resetMicros, long retryMicros) {
    long shown = Math.max(remaining, 0);
    return new Evaluation(false, shown, resetMicros, retryMicros, null, 0, shown, resetMicros);
  }
}
