package dev.tollgate.gateway.access;

/**
 * The path as access records carry it: the normalized path with identifier-like segments replaced
 * by {@code {id}} ({@code /orders/7f3a…/items/42} → {@code /orders/{id}/items/{id}}), so records of
 * one endpoint group together and a client cannot create unbounded distinct values by varying ids.
 * Identifier-like: all digits, a UUID, 16 or more hex characters, or longer than 48 characters.
 * Paths beyond {@value #MAX_LENGTH} characters are cut at a segment boundary and end in {@code
 * /{…}}.
 */
public final class PathTemplate {
  static final int MAX_LENGTH = 200;
  private static final String ID = "{id}";

  private PathTemplate() {}

  public static String of(String path) {
    if (!needsWork(path)) {
      return path; // the common case: nothing to replace, nothing allocated
    }
    StringBuilder out = new StringBuilder(path.length());
    int start = 0;
    while (start < path.length()) {
      int slash = path.indexOf('/', start + 1);
      int end = slash < 0 ? path.length() : slash;
      String segment = path.substring(start + 1, end);
      out.append('/').append(isIdentifier(segment) ? ID : segment);
      if (out.length() > MAX_LENGTH) {
        out.setLength(out.lastIndexOf("/", MAX_LENGTH));
        return out.append("/{…}").toString();
      }
      start = end;
    }
    return out.isEmpty() ? "/" : out.toString();
  }

  /** Whether any segment might be an identifier (a digit or a long segment) or the path is long. */
  private static boolean needsWork(String path) {
    if (path.length() > MAX_LENGTH) {
      return true;
    }
    int segmentLength = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '/') {
        segmentLength = 0;
      } else if ((c >= '0' && c <= '9') || ++segmentLength > 48) {
        return true;
      }
    }
    return false;
  }

  static boolean isIdentifier(String segment) {
    if (segment.isEmpty()) {
      return false;
    }
    if (segment.length() > 48) {
      return true;
    }
    boolean digits = true;
    boolean hex = true;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      digits &= digit;
      hex &= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
    return digits || (hex && segment.length() >= 16) || isUuid(segment);
  }

  private static boolean isUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (dash ? c != '-' : !hex) {
        return false;
      }
    }
    return true;
  }
}
