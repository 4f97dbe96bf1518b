package dev.tollgate.gateway.route;

/**
 * The path and the authority a request names. In origin form ({@code GET /a HTTP/1.1}) the
 * authority is the {@code Host} header's. RFC 9112 3.2.2 has a server accept the absolute form too
 * ({@code GET http://api.example.com/a HTTP/1.1}, as clients configured with the gateway as their
 * HTTP proxy send it): then the target carries its own authority and the {@code Host} header is
 * ignored, as that section says, so a route, its limits and the forwarded host all follow the one
 * authority.
 *
 * @param rawPath the path as received, the query apart; a target in neither form is kept whole
 *     here, and the path normalizer refuses it
 * @param authority {@code host[:port]}
 */
public record RequestTarget(String rawPath, String authority) {
  /**
   * @param rawPath the request target's path ({@code /a}, or {@code http://host/a})
   * @param host the {@code Host} header or HTTP/2 {@code :authority}
   */
  public static RequestTarget of(String rawPath, String host) {
    if (rawPath.startsWith("/")) {
      return new RequestTarget(rawPath, host);
    }
    int authorityStart = schemeEnd(rawPath);
    if (authorityStart < 0) {
      return new RequestTarget(rawPath, host);
    }
    int pathStart = rawPath.indexOf('/', authorityStart);
    String authority =
        pathStart < 0
            ? rawPath.substring(authorityStart)
            : rawPath.substring(authorityStart, pathStart);
    if (!isAuthority(authority)) {
      return new RequestTarget(rawPath, host);
    }
    return new RequestTarget(pathStart < 0 ? "/" : rawPath.substring(pathStart), authority);
  }

  /** Where the authority starts after {@code http://} or {@code https://} (any case); else -1. */
  private static int schemeEnd(String target) {
    for (String scheme : new String[] {"http://", "https://"}) {
      if (target.regionMatches(true, 0, scheme, 0, scheme.length())) {
        return scheme.length();
      }
    }
    return -1;
  }

  /**
   * A host (name, IPv4 or bracketed IPv6) with an optional port, nothing else: no user info (RFC
   * 9110 4.2.4 has it refused in http URIs), no character a Host header could not carry.
   */
  private static boolean isAuthority(String authority) {
    if (authority.isEmpty() || authority.charAt(0) == ':') {
      return false;
    }
    for (int i = 0; i < authority.length(); i++) {
      char c = authority.charAt(i);
      boolean allowed =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == ':'
              || c == '['
              || c == ']'
              || c == '_'
              || c == '~';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
