package dev.tollgate.gateway.route;

import java.util.regex.Pattern;

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

  /** Matches when the regular expression matches the entire normalized path. */
  record Regex(Pattern pattern) implements PathMatch {
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
