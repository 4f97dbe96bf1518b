package dev.tollgate.gateway.websocket;

import dev.tollgate.gateway.proxy.http1.ConnectionOptions;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.webserver.http.ServerRequest;

/**
 * Tells a WebSocket opening handshake (RFC 6455, 4.1) from other requests: an HTTP/1.1 {@code GET}
 * without a body whose {@code Upgrade} is {@code websocket} and whose {@code Connection} lists
 * {@code upgrade}. Anything else is an ordinary request, proxied with {@code Upgrade} removed like
 * every hop-by-hop header.
 */
public final class WebSocketRequests {
  /** The {@code Upgrade} token of the WebSocket protocol. */
  public static final String PROTOCOL = "websocket";

  private WebSocketRequests() {}

  public static boolean isHandshake(ServerRequest request) {
    Headers headers = request.headers();
    return request.prologue().method().equals(Method.GET)
        && request.prologue().protocolVersion().equals("1.1")
        && headers.contains(HeaderNames.UPGRADE)
        && headers.get(HeaderNames.UPGRADE).get().trim().equalsIgnoreCase(PROTOCOL)
        && ConnectionOptions.of(headers).contains("upgrade")
        && !request.content().hasEntity();
  }
}
