package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.route.Redirect;
import dev.tollgate.gateway.route.RouteMatch;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * Answers a request whose route redirects (HTTPRoute RequestRedirect) with the redirect's status
 * and {@code Location}, plus the stages' response headers; nothing goes upstream.
 */
public final class RedirectResponder {
  private RedirectResponder() {}

  static void redirect(GatewayExchange exchange, Redirect redirect) {
    RouteMatch match = exchange.route();
    String scheme = exchange.request().isSecure() ? "https" : "http";
    String authority = exchange.target().authority();
    ServerResponse res = exchange.response();
    res.status(Status.create(redirect.statusCode()));
    res.header(
        HeaderNames.LOCATION,
        redirect.location(
            scheme,
            hostOf(authority),
            portOf(authority, scheme),
            match.route().path(),
            match.matchedPath(),
            exchange.request().query().rawValue()));
    for (Header header : exchange.responseHeaders()) {
      res.header(header);
    }
    match.route().filters().responseHeaders().applyTo(res.headers());
    res.send();
  }

  /** The host of an authority as the client wrote it (case kept), without its port. */
  public static String hostOf(String authority) {
    if (authority == null) {
      return "";
    }
    int colon = authority.lastIndexOf(':');
    return colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
  }

  /** The port of an authority, else the scheme's default. */
  static int portOf(String authority, String scheme) {
    if (authority != null) {
      int colon = authority.lastIndexOf(':');
      if (colon > authority.lastIndexOf(']')) {
        try {
          return Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
          return Redirect.defaultPort(scheme);
        }
      }
    }
    return Redirect.defaultPort(scheme);
  }
}
