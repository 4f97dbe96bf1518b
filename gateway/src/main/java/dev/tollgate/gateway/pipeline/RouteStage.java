package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.problem.GatewayProblems.BadPath;
import dev.tollgate.gateway.problem.GatewayProblems.NoRoute;
import dev.tollgate.gateway.route.MatchRequest;
import dev.tollgate.gateway.route.RequestHost;
import dev.tollgate.gateway.route.RequestPaths;
import dev.tollgate.gateway.route.RouteMatch;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.util.List;

/**
 * Normalizes the raw request path and finds the route in the request's configuration; 400 for an
 * ambiguous path, 404 when nothing matches. The route is matched on the normalized path and the
 * same path (rewritten) goes upstream, so no encoding trick reaches a route other than the one the
 * normalized path selects. Header and query parameter matches (HTTPRoutes) read the request's
 * headers and its decoded query.
 */
public final class RouteStage implements RequestStage {
  @Override
  public void apply(GatewayExchange exchange) {
    String path = RequestPaths.normalize(exchange.target().rawPath());
    String host = RequestHost.of(exchange.target().authority());
    Headers headers = exchange.request().headers();
    UriQuery query = exchange.request().query();
    RouteMatch match =
        exchange
            .config()
            .routes()
            .match(
                new MatchRequest(
                    host,
                    exchange.method(),
                    path,
                    // lines as sent: values() would split a line at its commas, and no exact
                    // match on a value with a comma in it (a User-Agent, a date) could hold
                    name -> headers.all(HeaderNames.create(name), List::of),
                    name -> parameter(query, name)))
            .orElseThrow(NoRoute::new);
    exchange.match(match);
  }

  /**
   * The decoded values of a query parameter. The query reaches the gateway as the client sent it,
   * and Helidon's decoder fails on a malformed escape ({@code 100%}): only a route that matches on
   * query parameters needs them decoded, so only such a route refuses that request.
   */
  private static List<String> parameter(UriQuery query, String name) {
    try {
      return query.contains(name) ? query.all(name) : List.of();
    } catch (RuntimeException e) {
      throw new BadPath("The query string's percent-encoding is malformed.");
    }
  }
}
