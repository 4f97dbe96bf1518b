package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.problem.GatewayProblems.NoRoute;
import dev.tollgate.gateway.route.RequestHost;
import dev.tollgate.gateway.route.RequestPaths;
import dev.tollgate.gateway.route.RouteMatch;

/**
 * Normalizes the raw request path and finds the route in the request's configuration; 400 for an
 * ambiguous path, 404 when nothing matches. The route is matched on the normalized path and the
 * same path (rewritten) goes upstream, so no encoding trick reaches a route other than the one the
 * normalized path selects.
 */
public final class RouteStage implements RequestStage {
  @Override
  public void apply(GatewayExchange exchange) {
    String path = RequestPaths.normalize(exchange.request().prologue().uriPath().rawPath());
    String host = RequestHost.of(exchange.request().authority());
    RouteMatch match =
        exchange.config().routes().match(host, exchange.method(), path).orElseThrow(NoRoute::new);
    exchange.match(match);
  }
}
