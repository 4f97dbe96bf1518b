package dev.tollgate.limiter;

/**
 * The part of a cache entry's weight that its client chose: the characters of its key value. Both
 * caches keyed by key values, {@link OverLimitCache} and the in-process engine, are bounded by
 * bytes and add this to their own measured overhead, so they count characters by one rule.
 */
public final class KeyValueWeight {
  /**
   * A key value's characters take one byte each when all are Latin-1 and two otherwise (a claim in
   * any script); counting two never underestimates and needs no scan of the key.
   */
  static final int BYTES_PER_CHAR = 2;

  private KeyValueWeight() {}

  /** An upper estimate of the heap the characters take, beyond the String's and array's headers. */
  public static int bytesOf(String keyValue) {
    return BYTES_PER_CHAR * keyValue.length();
  }
}
