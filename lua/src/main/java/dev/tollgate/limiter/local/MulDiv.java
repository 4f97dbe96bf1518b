package dev.tollgate.limiter.local;

/**
 * {@code a x b / c} as an exact quotient and remainder, the twin of {@code mul_div} in lib.lua. The
 * product itself can exceed a long (a billion requests x a 366-day period in microseconds is
 * 3.2e22) while the quotient the algorithms need stays small (docs/limiter.md, "Bounds").
 *
 * @param quotient floor(a x b / c), or {@link Long#MAX_VALUE} where that does not fit a long (only
 *     a token bucket's refill after an edit gets there, and caps it at the burst)
 * @param remainder a x b - quotient x c, in [0, c)
 */
record MulDiv(long quotient, long remainder) {
  /** 16 bits per digit: the running remainder (below c < 2^46) times 2^16 stays below 2^63. */
  private static final int DIGIT_BITS = 16;

  private static final long DIGIT_MASK = (1L << DIGIT_BITS) - 1;

  /**
   * @param a at least 0
   * @param b at least 0
   * @param c between 1 and 2^46
   */
  static MulDiv of(long a, long b, long c) {
    if (Math.multiplyHigh(a, b) == 0 && a * b >= 0) {
      long product = a * b;
      return new MulDiv(product / c, product % c);
    }
    // a = qa x c + ra, so a x b / c = qa x b + ra x b / c; then ra x b by long division, one
    // 16-bit digit of b at a time, each step's remainder below c.
    long qa = a / c;
    long ra = a % c;
    long quotient = 0;
    long remainder = 0;
    for (int shift = 64 - DIGIT_BITS; shift >= 0; shift -= DIGIT_BITS) {
      long step = (remainder << DIGIT_BITS) + ra * ((b >>> shift) & DIGIT_MASK);
      quotient = (quotient << DIGIT_BITS) + step / c;
      remainder = step % c;
    }
    if (Math.multiplyHigh(qa, b) != 0 || qa * b > Long.MAX_VALUE - quotient) {
      return new MulDiv(Long.MAX_VALUE, remainder);
    }
    return new MulDiv(qa * b + quotient, remainder);
  }

  /** ceil(a x b / c). */
  static long ceil(long a, long b, long c) {
    MulDiv division = of(a, b, c);
    return division.quotient + (division.remainder > 0 ? 1 : 0);
  }
}
