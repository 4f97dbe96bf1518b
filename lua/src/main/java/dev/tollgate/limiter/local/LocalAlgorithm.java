package dev.tollgate.limiter.local;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitDefinition;

/**
 * One algorithm as a pure function, mirroring its Lua fragment: Lua numbers are doubles, but every
 * value the fragments compute stays below 2^53 ({@link LimitDefinition}'s bounds), where long and
 * double arithmetic (including floor and ceiling of quotients) agree exactly; products that would
 * not stay there are divided without being formed, by {@link MulDiv} here and mul_div in Lua.
 */
interface LocalAlgorithm {
  /**
   * @param state the stored state, or {@code null} when there is none (a missing Redis key)
   */
  Evaluation evaluate(LimitState state, LimitDefinition limit, long cost, long nowMicros);

  static LocalAlgorithm of(Algorithm algorithm) {
    return switch (algorithm) {
      case TOKEN_BUCKET -> new TokenBucket();
      case GCRA -> new Gcra();
      case FIXED_WINDOW -> new FixedWindow();
      case SLIDING_WINDOW -> new SlidingWindow();
      case SLIDING_LOG -> new SlidingLog();
    };
  }
}
