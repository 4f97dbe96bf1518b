package dev.tollgate.limiter;

/**
 * The longest key values one client can send, which the memory tests fill the caches keyed by key
 * values with, and whose entries were measured.
 */
public final class LongestKeys {
  private LongestKeys() {}

  /**
   * The longest value one header part can carry: 128 characters of {@code %}, each escaped to
   * {@code %25}, behind its label; here 127 of them and four characters that tell clients apart.
   */
  public static String onePart(int client) {
    return "header:x-api-key=" + "%25".repeat(127) + clientId(client);
  }

  /** A key as long as {@link #onePart} in another script: two bytes a character (UTF-16). */
  public static String onePartUtf16(int client) {
    return "header:x-api-key=" + "Ω".repeat(381) + clientId(client);
  }

  /** Four base-36 characters, distinct for the first 1,632,960 clients. */
  private static String clientId(int client) {
    return Integer.toString(46_656 + client, 36);
  }
}
