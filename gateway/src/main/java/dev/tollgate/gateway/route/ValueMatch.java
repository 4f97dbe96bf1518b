package dev.tollgate.gateway.route;

import com.google.re2j.Pattern;
import java.util.List;

/**
 * An HTTPRoute header or query parameter match: the named value must equal {@code exact}, or the
 * whole value must match {@code regex}. A header's value is a line as sent, commas and all; a
 * header sent on several lines matches when any line does (the Gateway API leaves repeated headers
 * to the implementation); a query parameter given more than once is judged by its first value
 * ({@link #matchesFirst}).
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

  /**
   * Whether the first of a query parameter's values matches, as the Gateway API recommends: most
   * upstreams read the first (Go's {@code Query().Get}, servlets' {@code getParameter}, {@code
   * URLSearchParams.get}), and matching on any value let {@code ?plan=free&plan=paid} take the
   * route for {@code plan=paid} while such an upstream served {@code free}.
   */
  boolean matchesFirst(List<String> values) {
    return !values.isEmpty() && matches(values.subList(0, 1));
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
