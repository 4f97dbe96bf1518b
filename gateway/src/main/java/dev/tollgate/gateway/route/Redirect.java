package dev.tollgate.gateway.route;

import java.util.Optional;

/**
 * An HTTPRoute RequestRedirect: the gateway answers with {@code statusCode} and a {@code Location}
 * built from the request and the filter's fields, and sends nothing upstream.
 *
 * @param scheme {@code http}/{@code https}, empty = the request's
 * @param hostname empty = the request's host
 * @param port empty = the well-known port of a changed scheme, else the port the request came to
 * @param path how the path changes; the query string is kept
 */
public record Redirect(
    Optional<String> scheme,
    Optional<String> hostname,
    Optional<Integer> port,
    PathRewrite path,
    int statusCode) {

  /**
   * The {@code Location} for a request; the port is left out where it is the scheme's default (http
   * and 80, https and 443), as the Gateway API asks.
   *
   * @param requestScheme {@code http} or {@code https}
   * @param requestHost host without port
   * @param requestPort the port of the Host header, else the scheme's default
   * @param rawQuery the request's query, empty when none
   */
  public String location(
      String requestScheme,
      String requestHost,
      int requestPort,
      PathMatch match,
      String matchedPath,
      String rawQuery) {
    String toScheme = scheme.orElse(requestScheme);
    int toPort = port.orElseGet(() -> scheme.isPresent() ? defaultPort(toScheme) : requestPort);
    StringBuilder location = new StringBuilder(toScheme).append("://");
    location.append(hostname.orElse(requestHost));
    if (toPort != defaultPort(toScheme)) {
      location.append(':').append(toPort);
    }
    location.append(path.apply(match, matchedPath));
    if (!rawQuery.isEmpty()) {
      location.append('?').append(rawQuery);
    }
    return location.toString();
  }

  public static int defaultPort(String scheme) {
    return "https".equals(scheme) ? 443 : 80;
  }
}
