package dev.tollgate.rules;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Turns a raw request path into the one canonical form that routes are matched against and that is
 * sent upstream, so the upstream never sees a path that the gateway interpreted differently.
 *
 * <ul>
 *   <li>Percent-encoded unreserved characters ({@code ALPHA DIGIT - . _ ~}) are decoded, so {@code
 *       /%6Frders} is {@code /orders} and {@code /%2e%2e/} is a dot segment. Other escapes stay
 *       encoded with upper-case hex.
 *   <li>Duplicate slashes collapse; {@code .} and {@code ..} segments are resolved (RFC 3986
 *       5.2.4).
 * </ul>
 *
 * Forms that upstream servers disagree about are refused with 400 instead of guessed at: an encoded
 * {@code /} or {@code \} ({@code %2F}, {@code %5C}), a raw backslash, double encoding ({@code %25}
 * followed by two hex digits once decoded, e.g. {@code %252e}), {@code ;} path parameters (Tomcat
 * and Jetty strip them, others do not), encoded control characters and NUL, overlong UTF-8 ({@code
 * %C0%AE}), {@code ..} above the root, and segments ending in a dot ({@code /admin.} is {@code
 * /admin} on some servers).
 *
 * <p>It lives in the rulebook because route paths are judged by it too: a {@code path} or {@code
 * pathPrefix} that is not already in this form could never equal a normalized request path.
 */
public final class PathNormalizer {
  private static final String HEX = "0123456789ABCDEF";

  /** A path refused as ambiguous; the message is safe to show to the client. */
  public static final class BadPath extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadPath(String detail) {
      super(detail);
    }
  }

  private PathNormalizer() {}

  /**
   * @throws BadPath when the path is one of the refused forms
   */
  public static String normalize(String rawPath) {
    if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw new BadPath("The request path must start with '/'.");
    }
    return isCanonical(rawPath) ? rawPath : normalizeFully(rawPath);
  }

  /** The whole pass: decode, check and resolve every segment (package-private for its test). */
  static String normalizeFully(String rawPath) {
    String decoded = decodeUnreserved(rawPath);
    refuseDoubleEncoding(decoded);
    return resolveSegments(decoded);
  }

  /**
   * Whether {@link #normalizeFully} would return the path unchanged, told by one scan: no escape,
   * no character it refuses, no empty segment but a trailing one, no dot that starts or ends a
   * segment. Most request paths are like that; the whole pass split, copied and joined every one of
   * them (about 3% of a proxied request's CPU in a profile). Anything else takes the whole pass.
   */
  private static boolean isCanonical(String path) {
    char previous = '/';
    for (int i = 1; i < path.length(); i++) {
      char c = path.charAt(i);
      boolean plain = c > 0x20 && c < 0x7F && c != '%' && c != '\\' && c != ';';
      boolean emptySegment = c == '/' && previous == '/';
      boolean dotAtSegmentEdge =
          c == '.' && (previous == '/' || i + 1 == path.length() || path.charAt(i + 1) == '/');
      if (!plain || emptySegment || dotAtSegmentEdge) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  private static String decodeUnreserved(String raw) {
    StringBuilder out = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int value = hexByteAt(raw, i);
        refuseOverlong(raw, i + 3, value);
        i += 2;
        appendDecoded(out, value);
      } else if (c == '\\') {
        throw new BadPath("Backslashes are not allowed in the request path.");
      } else if (c == ';') {
        throw new BadPath("Path parameters (';') are not allowed in the request path.");
      } else if (c <= 0x20 || c >= 0x7F) {
        throw new BadPath("The request path contains a character that must be percent-encoded.");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void appendDecoded(StringBuilder out, int value) {
    if (isUnreserved(value)) {
      out.append((char) value);
    } else if (value == '/' || value == '\\') {
      throw new BadPath("Encoded slashes are not allowed in the request path.");
    } else if (value < 0x20 || value == 0x7F) {
      throw new BadPath("Encoded control characters are not allowed in the request path.");
    } else {
      out.append('%').append(HEX.charAt(value >> 4)).append(HEX.charAt(value & 0xF));
    }
  }

  /**
   * Refuses overlong UTF-8: a lead byte whose next byte makes the pair stand for a character that
   * has a shorter form ({@code %C0%AE} is {@code .} and {@code %C0%AF} is {@code /} to a lenient
   * decoder, {@code %E0%80%AE} is {@code .}). Valid UTF-8 holds none; an upstream that decodes them
   * anyway would read a dot segment or a slash the gateway never saw. A lead byte alone ({@code
   * %C0} as a Latin-1 letter) is left be.
   */
  private static void refuseOverlong(String raw, int next, int lead) {
    int highestOverlong =
        switch (lead) {
          case 0xC0, 0xC1 -> 0xBF;
          case 0xE0 -> 0x9F;
          case 0xF0 -> 0x8F;
          default -> -1;
        };
    if (highestOverlong < 0 || next >= raw.length() || raw.charAt(next) != '%') {
      return;
    }
    int following = hexByteAt(raw, next);
    if (following >= 0x80 && following <= highestOverlong) {
      throw new BadPath("Overlong UTF-8 sequences are not allowed in the request path.");
    }
  }

  /**
   * Judged on the decoded path, the one the upstream receives, not on the raw one: {@code
   * %25%32%65} has no {@code %25} followed by two hex digits, but decodes to {@code %252e}.
   */
  private static void refuseDoubleEncoding(String decoded) {
    for (int at = decoded.indexOf("%25"); at >= 0; at = decoded.indexOf("%25", at + 3)) {
      if (at + 4 < decoded.length() && isHexEscapeAt(decoded, at + 3)) {
        throw new BadPath("Double percent-encoding is not allowed in the request path.");
      }
    }
  }

  private static boolean isHexEscapeAt(String path, int index) {
    return hexDigit(path.charAt(index)) >= 0 && hexDigit(path.charAt(index + 1)) >= 0;
  }

  private static int hexByteAt(String raw, int percentIndex) {
    if (percentIndex + 2 >= raw.length()) {
      throw new BadPath("Incomplete percent-encoding in the request path.");
    }
    int high = hexDigit(raw.charAt(percentIndex + 1));
    int low = hexDigit(raw.charAt(percentIndex + 2));
    if (high < 0 || low < 0) {
      throw new BadPath("Invalid percent-encoding in the request path.");
    }
    return high << 4 | low;
  }

  private static int hexDigit(char c) {
    return Character.digit(c, 16);
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static String resolveSegments(String path) {
    Deque<String> segments = new ArrayDeque<>();
    String[] parts = path.split("/", -1);
    boolean trailingSlash = false;
    // parts[0] is the empty string before the leading '/'.
    for (int i = 1; i < parts.length; i++) {
      String segment = parts[i];
      boolean last = i == parts.length - 1;
      switch (segment) {
        case "" -> trailingSlash = last && !segments.isEmpty();
        case "." -> trailingSlash = last;
        case ".." -> {
          if (segments.isEmpty()) {
            throw new BadPath("The request path climbs above the root.");
          }
          segments.removeLast();
          trailingSlash = last;
        }
        default -> {
          if (segment.endsWith(".")) {
            throw new BadPath("Path segments must not end with a dot.");
          }
          segments.addLast(segment);
          trailingSlash = false;
        }
      }
    }
    if (segments.isEmpty()) {
      return "/";
    }
    String joined = "/" + String.join("/", segments);
    return trailingSlash ? joined + "/" : joined;
  }
}
