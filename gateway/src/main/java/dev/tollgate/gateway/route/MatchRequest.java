package dev.tollgate.gateway.route;

import java.util.List;
import java.util.function.Function;

/**
 * What route matching looks at in a request.
 *
 * @param host lower-case host without port (see {@link RequestHost})
 * @param method upper-case method
 * @param path output of {@link dev.tollgate.rules.PathNormalizer}
 * @param headers a header's lines as sent, by its lower-case name (empty when absent)
 * @param queryParams decoded values of a query parameter by its name (empty when absent)
 */
public record MatchRequest(
    String host,
    String method,
    String path,
    Function<String, List<String>> headers,
    Function<String, List<String>> queryParams) {

  /** A request described by host, method and path only (no headers, no query). */
  public static MatchRequest of(String host, String method, String path) {
    return new MatchRequest(host, method, path, name -> List.of(), name -> List.of());
  }
}
