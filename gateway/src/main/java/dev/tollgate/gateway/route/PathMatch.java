package dev.tollgate.gateway.route;

import com.google.re2j.Pattern;

/** How a route matches the normalized request path. */
public sealed interface PathMatch {

  boolean matches(String path);

  /** Precedence among kinds: exact before prefix before regex. */
  int kindRank();

  /** Longer prefixes win among prefix matches; 0 for other kinds. */
  default int length() {
    return 0;
  }

  /** Matches one path exactly. */
  record Exact(String path) implements PathMatch {
    @Override
    public boolean matches(String candidate) {
      return path.equals(candidate);
    }

    @Override
    public int kindRank() {
      return 2;
    }
  }

  /**
   * Matches whole path segments: {@code /orders} matches {@code /orders}, {@code /orders/} and
   * {@code /orders/7}, never {@code /ordersX}.
   */
  record Prefix(String prefix) implements PathMatch {
    @Override
    public boolean matches(String candidate) {
      if (!candidate.startsWith(prefix)) {
        return false;
      }
      return candidate.length() == prefix.length()
          || prefix.endsWith("/")
          || candidate.charAt(prefix.length()) == '/';
    }

    @Override
    public int kindRank() {
      return 1;
    }

    @Override
    public int length() {
      return prefix.length();
    }

    /**
     * Replaces the matched prefix. {@code /orders} → {@code /}: {@code /orders/7} becomes {@code
     * /7}, {@code /orders} becomes {@code /}; {@code /api} → {@code /v2}: {@code /api/x} becomes
     * {@code /v2/x}.
     */
    public String replace(String candidate, String replacement) {
      String rest = candidate.substring(prefix.length());
      if (replacement.endsWith("/") && rest.startsWith("/")) {
        rest = rest.substring(1);
      } else if (!replacement.endsWith("/") && !rest.isEmpty() && !rest.startsWith("/")) {
        rest = "/" + rest;
      }
      String rewritten = replacement + rest;
      return rewritten.isEmpty() ? "/" : rewritten;
    }
  }

  /**
   * Matches when the RE2 regular expression matches the entire normalized path, in time linear in
   * the path's length whatever the pattern (no backtracking, so no pattern can stall a request).
   */
  record Regex(Pattern pattern) implements PathMatch {
    /**
     * The start every path this regex matches must have, so that the route is tried only for such
     * paths: the leading characters that stand for themselves ({@code /api/v[0-9]+} gives {@code
     * /api/v}), without the last one when a quantifier may drop it ({@code /ab?c} gives {@code
     * /a}). Empty, so the regex is tried for every path, when it has an alternation anywhere
     * ({@code |} could bypass the start), has flags (case-insensitive) or begins with anything else
     * (an anchor, a group, flags).
     */
    public String literalPrefix() {
      String regex = pattern.pattern();
      if (pattern.flags() != 0 || regex.indexOf('|') >= 0) {
        return "";
      }
      int end = 0;
      while (end < regex.length() && standsForItself(regex.charAt(end))) {
        end++;
      }
      if (end < regex.length() && end > 0 && "?*{".indexOf(regex.charAt(end)) >= 0) {
        end--;
      }
      return regex.substring(0, end);
    }

    private static boolean standsForItself(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '/'
          || c == '_'
          || c == '-';
    }

    @Override
    public boolean matches(String candidate) {
      return pattern.matcher(candidate).matches();
    }

    @Override
    public int kindRank() {
      return 0;
    }
  }
}
