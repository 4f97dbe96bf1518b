package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.problem.GatewayProblems.UnderscoreHeader;
import io.helidon.http.Header;

/**
 * Refuses requests with a header name containing {@code _}, for {@code
 * TOLLGATE_UNDERSCORE_HEADERS=refuse} (by default such headers are dropped on the way upstream
 * instead; see {@link dev.tollgate.gateway.edge.UnderscoreHeaders}).
 */
final class UnderscoreHeaderGuard implements RequestStage {
  @Override
  public void apply(GatewayExchange exchange) {
    for (Header header : exchange.request().headers()) {
      if (header.headerName().lowerCase().indexOf('_') >= 0) {
        throw new UnderscoreHeader();
      }
    }
  }
}
