package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.edge.UnderscoreHeaders;
import dev.tollgate.gateway.pipeline.GatewayExchange;
import dev.tollgate.gateway.route.RouteFilters;
import io.helidon.http.ClientRequestHeaders;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * Builds the headers sent upstream from the client's. Dropped: hop-by-hop headers, {@code Host},
 * {@code Expect}, {@code Content-Length} (regenerated from the parsed length), header names with
 * {@code _} (unless {@code TOLLGATE_UNDERSCORE_HEADERS=allow}), and every header the gateway sets
 * itself: {@code X-Forwarded-*}, {@code Forwarded}, {@code X-Real-IP}, {@code X-Request-Id} and
 * {@code X-Tollgate-*} (the latter only from the gateway's stages). Those are then set from what
 * the gateway knows, so a client cannot forge its address, host or identity to the upstream; with
 * names compared after mapping {@code _} to {@code -}, as CGI-style servers read them.
 *
 * <p>Forwarding headers from a trusted proxy ({@code TOLLGATE_TRUSTED_PROXIES}) are extended
 * ({@code X-Forwarded-For}) or kept ({@code X-Forwarded-Proto/Host}); {@code Forwarded} and {@code
 * X-Real-IP} always carry the client address as the gateway resolved it.
 *
 * <p>An HTTPRoute keeps the client's {@code Host} (or its URLRewrite hostname) and applies its
 * RequestHeaderModifier; a Route sends the endpoint's authority.
 */
public final class UpstreamRequestHeaders {
  private static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
  private static final HeaderName REAL_IP = HeaderNames.create("X-Real-IP");

  private final UnderscoreHeaders underscores;

  public UpstreamRequestHeaders(UnderscoreHeaders underscores) {
    this.underscores = underscores;
  }

  public void copy(GatewayExchange exchange, ClientRequestHeaders target) {
    Headers client = exchange.request().headers();
    HopByHopHeaders hopByHop = HopByHopHeaders.of(client);
    for (Header header : client) {
      String lower = header.headerName().lowerCase();
      boolean underscored = lower.indexOf('_') >= 0;
      if (underscored && underscores != UnderscoreHeaders.ALLOW) {
        continue;
      }
      String canonical = underscored ? lower.replace('_', '-') : lower;
      if (hopByHop.contains(canonical) || isSetByGateway(canonical)) {
        continue;
      }
      if (header.headerName().equals(HeaderNames.COOKIE) && header.valueCount() > 1) {
        // RFC 9113 8.2.3: HTTP/2 sends each cookie as a field of its own, and they must be one
        // line, joined by "; ", for HTTP/1.1, where servers read only one Cookie line
        target.set(HeaderValues.create(HeaderNames.COOKIE, String.join("; ", header.allValues())));
        continue;
      }
      target.set(header);
    }
    RouteFilters filters = exchange.route().route().filters();
    if (filters.keepClientHost()) {
      String host = filters.upstreamHost().orElseGet(() -> exchange.target().authority());
      if (host != null && !host.isEmpty()) {
        target.set(HeaderValues.create(HeaderNames.HOST, host));
      }
    }
    // The route's own changes (HTTPRoute RequestHeaderModifier) before the gateway's: framing,
    // forwarding headers, the request id and the stages' X-Tollgate-* always say what the gateway
    // saw.
    filters.requestHeaders().applyTo(target);
    if (client.contains(HeaderNames.CONTENT_LENGTH)) {
      // FramingGuard let through only one run of digits; leading zeros and all are normalized
      String length = client.get(HeaderNames.CONTENT_LENGTH).get();
      target.set(
          HeaderValues.create(HeaderNames.CONTENT_LENGTH, Long.toString(Long.parseLong(length))));
    }
    forwarded(exchange, client, target);
    target.set(HeaderValues.create(REQUEST_ID, exchange.requestId()));
    for (Header header : exchange.upstreamHeaders()) {
      target.set(header);
    }
  }

  /** Names the gateway sets or removes itself, compared in lower case with {@code -}. */
  private static boolean isSetByGateway(String name) {
    return switch (name) {
      case "host", "expect", "content-length", "forwarded", "x-real-ip", "x-request-id" -> true;
      default -> name.startsWith("x-forwarded-") || name.startsWith("x-tollgate-");
    };
  }

  private static void forwarded(
      GatewayExchange exchange, Headers client, ClientRequestHeaders target) {
    boolean trusted = exchange.peerIsTrustedProxy();
    String peer = exchange.peerAddress().getHostAddress();
    List<String> priorFor = trusted ? client.values(HeaderNames.X_FORWARDED_FOR) : List.of();
    String forwardedFor = priorFor.isEmpty() ? peer : String.join(", ", priorFor) + ", " + peer;
    target.set(HeaderValues.create(HeaderNames.X_FORWARDED_FOR, forwardedFor));
    String ownProto = exchange.request().isSecure() ? "https" : "http";
    String proto =
        trusted
            ? client
                .first(HeaderNames.X_FORWARDED_PROTO)
                .filter(p -> p.equals("http") || p.equals("https"))
                .orElse(ownProto)
            : ownProto;
    target.set(HeaderValues.create(HeaderNames.X_FORWARDED_PROTO, proto));
    String host = exchange.target().authority();
    String forwardedHost = trusted ? client.first(HeaderNames.X_FORWARDED_HOST).orElse(host) : host;
    if (forwardedHost != null && !forwardedHost.isEmpty()) {
      target.set(HeaderValues.create(HeaderNames.X_FORWARDED_HOST, forwardedHost));
    }
    InetAddress clientAddress = exchange.clientAddress();
    String clientIp =
        clientAddress.equals(exchange.peerAddress()) ? peer : clientAddress.getHostAddress();
    target.set(HeaderValues.create(REAL_IP, clientIp));
    target.set(
        HeaderValues.create(
            HeaderNames.FORWARDED,
            forwardedElement(
                clientIp, clientAddress instanceof Inet6Address, forwardedHost, proto)));
  }

  /**
   * One RFC 7239 element: {@code for=192.0.2.1;host="shop.example";proto=https}.
   *
   * @param clientIp the client's address as text ({@link InetAddress#getHostAddress()})
   */
  static String forwardedElement(String clientIp, boolean ipv6, String host, String proto) {
    StringBuilder element = new StringBuilder(64).append("for=");
    if (ipv6) {
      element.append("\"[").append(clientIp).append("]\"");
    } else {
      element.append(clientIp);
    }
    if (host != null && !host.isEmpty()) {
      element.append(";host=").append(quoted(host));
    }
    return element.append(";proto=").append(proto.toLowerCase(Locale.ROOT)).toString();
  }

  /** An RFC 9110 quoted-string; control characters (never valid in a host) are left out. */
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c != 0x7f) {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
