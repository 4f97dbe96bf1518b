package dev.tollgate.gateway.proxy;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Headers that describe one connection, not the message (RFC 9110 7.6.1), and so are never
 * forwarded: the fixed list plus every name listed in {@code Connection}.
 */
final class HopByHopHeaders {
  private static final Set<String> ALWAYS =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private final Set<String> names;

  private HopByHopHeaders(Set<String> names) {
    this.names = names;
  }

  static HopByHopHeaders of(Headers headers) {
    if (!headers.contains(HeaderNames.CONNECTION)) {
      return new HopByHopHeaders(ALWAYS);
    }
    Set<String> names = new HashSet<>(ALWAYS);
    for (String value : headers.values(HeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        names.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    return new HopByHopHeaders(names);
  }

  boolean contains(HeaderName name) {
    return names.contains(name.lowerCase());
  }
}
