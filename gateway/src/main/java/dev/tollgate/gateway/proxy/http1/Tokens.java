package dev.tollgate.gateway.proxy.http1;

/**
 * The characters of an RFC 9110 token (5.6.2): a method or a field name. Anything else in a name (a
 * colon, a space, a quote) would be read by the next parser as the end of it, or as another field.
 */
final class Tokens {
  private static final boolean[] TOKEN_CHARS = tokenChars();

  private Tokens() {}

  static boolean isTokenChar(int c) {
    return c >= 0 && c < TOKEN_CHARS.length && TOKEN_CHARS[c];
  }

  private static boolean[] tokenChars() {
    boolean[] chars = new boolean[128];
    for (char c = '0'; c <= '9'; c++) {
      chars[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      chars[c] = true;
      chars[Character.toUpperCase(c)] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      chars[c] = true;
    }
    return chars;
  }
}
