package dev.tollgate.gateway.route;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * An HTTPRoute header or query parameter match: the named value must equal {@code exact}, or the
 * whole value must match {@code regex}. A header named more than once matches when any of its
 * values does (the Gateway API leaves repeated headers to the implementation).
 *
 * @param name lower-case for a header (names are case-insensitive), as written for a query
 *     parameter (case-sensitive)
 */
public record ValueMatch(String name, String exact, Pattern regex) {
  public static ValueMatch exact(String name, String value) {
    return new ValueMatch(name, value, null);
  }

  public static ValueMatch regex(String name, String regex) {
    return new ValueMatch(name, null, Pattern.compile(regex));
  }

  boolean matches(List<String> values) {
    for (String value : values) {
      if (regex == null ? exact.equals(value) : regex.matcher(value).matches()) {
        return true;
      }
    }
    return false;
  }
}
