package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.pipeline.GatewayExchange;
import io.helidon.http.ClientRequestHeaders;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import java.util.List;

/**
 * Builds the headers sent upstream from the client's: hop-by-hop headers, {@code Host}, {@code
 * Expect} and every client-sent {@code X-Tollgate-*} are dropped (the latter may only come from the
 * gateway's own stages); {@code X-Forwarded-For/Proto/Host} and {@code X-Request-Id} are set.
 * Forwarded headers from a peer that is not a trusted proxy are replaced, not extended, so a client
 * cannot forge its address.
 */
final class UpstreamRequestHeaders {
  private static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");

  private static final String TOLLGATE_PREFIX = "x-tollgate-";

  private UpstreamRequestHeaders() {}

  static void copy(GatewayExchange exchange, ClientRequestHeaders target) {
    Headers client = exchange.request().headers();
    HopByHopHeaders hopByHop = HopByHopHeaders.of(client);
    for (Header header : client) {
      String lower = header.headerName().lowerCase();
      if (hopByHop.contains(header.headerName())
          || lower.startsWith(TOLLGATE_PREFIX)
          || lower.equals("host")
          || lower.equals("expect")
          || lower.startsWith("x-forwarded-")
          || lower.equals("x-request-id")) {
        continue;
      }
      target.set(header);
    }
    forwarded(exchange, client, target);
    target.set(HeaderValues.create(REQUEST_ID, exchange.requestId()));
    for (Header header : exchange.upstreamHeaders()) {
      target.set(header);
    }
  }

  private static void forwarded(
      GatewayExchange exchange, Headers client, ClientRequestHeaders target) {
    boolean trusted = exchange.peerIsTrustedProxy();
    String peer = exchange.peerAddress().getHostAddress();
    List<String> priorFor = trusted ? client.values(HeaderNames.X_FORWARDED_FOR) : List.of();
    String forwardedFor = priorFor.isEmpty() ? peer : String.join(", ", priorFor) + ", " + peer;
    target.set(HeaderValues.create(HeaderNames.X_FORWARDED_FOR, forwardedFor));
    String proto = exchange.request().isSecure() ? "https" : "http";
    target.set(
        HeaderValues.create(
            HeaderNames.X_FORWARDED_PROTO,
            trusted ? client.first(HeaderNames.X_FORWARDED_PROTO).orElse(proto) : proto));
    String host = exchange.request().authority();
    String forwardedHost = trusted ? client.first(HeaderNames.X_FORWARDED_HOST).orElse(host) : host;
    if (forwardedHost != null && !forwardedHost.isEmpty()) {
      target.set(HeaderValues.create(HeaderNames.X_FORWARDED_HOST, forwardedHost));
    }
  }
}
