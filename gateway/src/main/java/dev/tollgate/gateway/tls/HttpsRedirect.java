package dev.tollgate.gateway.tls;

import dev.tollgate.gateway.pipeline.RedirectResponder;
import dev.tollgate.gateway.route.RequestTarget;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The plain listener's only handler when {@code TOLLGATE_TLS_REDIRECT=true}: every request is
 * answered 308 to the same host, path and query on HTTPS. 308 rather than 301 so that clients
 * repeat a POST as a POST (RFC 9110 15.4.9). Nothing is routed, authenticated or counted on plain
 * HTTP.
 */
public final class HttpsRedirect implements Handler {
  private final int port;

  /**
   * @param port the HTTPS port clients reach (443 is left out of the location)
   */
  public HttpsRedirect(int port) {
    this.port = port;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    res.status(Status.PERMANENT_REDIRECT_308);
    res.header(HeaderNames.LOCATION, location(req));
    res.send();
  }

  private String location(ServerRequest req) {
    RequestTarget target = RequestTarget.of(req.prologue().uriPath().rawPath(), req.authority());
    StringBuilder location =
        new StringBuilder("https://").append(RedirectResponder.hostOf(target.authority()));
    if (port != 443) {
      location.append(':').append(port);
    }
    location.append(target.rawPath());
    String query = req.prologue().query().rawValue();
    if (!query.isEmpty()) {
      location.append('?').append(query);
    }
    return location.toString();
  }
}
