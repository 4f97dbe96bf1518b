package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.backend.Endpoint;
import dev.tollgate.gateway.pipeline.GatewayExchange;
import io.helidon.common.uri.UriInfo;
import io.helidon.common.uri.UriPath;
import io.helidon.webclient.api.ClientUri;
import java.net.URI;

/**
 * The URI an exchange is sent to on one endpoint. The request target is passed through byte for
 * byte: Helidon's client would otherwise parse the query into parameters and re-serialize it
 * (reordering them, turning {@code e} into {@code e=}, decoding {@code %20}), so the upstream would
 * not see what the client sent. The whole target is handed over as an already-encoded "path" with
 * URI encoding skipped.
 */
final class UpstreamTarget {
  private UpstreamTarget() {}

  /** The request target as sent: the route's upstream path and the client's raw query. */
  static String requestTarget(GatewayExchange exchange) {
    String query = exchange.request().query().rawValue();
    String path = exchange.route().upstreamPath();
    return query.isEmpty() ? path : path + "?" + query;
  }

  /** The same target as a URI on {@code endpoint}, for Helidon's client. */
  static ClientUri of(Endpoint endpoint, GatewayExchange exchange) {
    String target = requestTarget(exchange);
    URI base = endpoint.uri();
    return ClientUri.create(
            UriInfo.builder()
                .scheme(base.getScheme())
                .host(base.getHost())
                .port(base.getPort())
                .path(UriPath.createFromDecoded(target))
                .build())
        .skipUriEncoding(true);
  }
}
