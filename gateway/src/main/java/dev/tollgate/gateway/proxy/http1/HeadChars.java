package dev.tollgate.gateway.proxy.http1;

/**
 * The characters each part of an HTTP/1.1 head may hold, as tables indexed by character (one load
 * per character, in the loops that copy a head into its buffer). Anything else in a name (a colon,
 * a space, a quote) would be read by the next parser as the end of it or as another field; a space
 * or tab in the target would split the request line; CR or LF in a value would split the head.
 */
final class HeadChars {
  /** An RFC 9110 token (5.6.2): a method or a field name. */
  static final boolean[] TOKEN = token();

  /** Visible ASCII, as the client's own request line had to be (RFC 9112, 3.2). */
  static final boolean[] TARGET = range(0x21, 0x7e);

  /** A field value: visible ASCII, space, HTAB and ISO-8859-1's upper half (obs-text). */
  static final boolean[] FIELD_VALUE = fieldValue();

  private HeadChars() {}

  static boolean isTokenChar(int c) {
    return c >= 0 && c < TOKEN.length && TOKEN[c];
  }

  private static boolean[] token() {
    boolean[] chars = new boolean[256];
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

  private static boolean[] fieldValue() {
    boolean[] chars = range(0x20, 0x7e);
    chars['\t'] = true;
    for (int c = 0x80; c <= 0xff; c++) {
      chars[c] = true;
    }
    return chars;
  }

  private static boolean[] range(int from, int to) {
    boolean[] chars = new boolean[256];
    for (int c = from; c <= to; c++) {
      chars[c] = true;
    }
    return chars;
  }
}
