package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.problem.GatewayProblems.BadRequest;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.util.List;

/**
 * Refuses requests whose body length two HTTP parsers could read differently, the root of request
 * smuggling: {@code Content-Length} together with {@code Transfer-Encoding}, several differing
 * {@code Content-Length} values, or a transfer coding other than a single {@code chunked}. Runs
 * before anything is sent upstream.
 */
public final class FramingGuard implements RequestStage {
  @Override
  public void apply(GatewayExchange exchange) {
    Headers headers = exchange.request().headers();
    List<String> lengths = headers.values(HeaderNames.CONTENT_LENGTH);
    boolean chunked = headers.contains(HeaderNames.TRANSFER_ENCODING);
    if (chunked && !lengths.isEmpty()) {
      throw new BadRequest("Content-Length and Transfer-Encoding must not both be present.");
    }
    if (lengths.stream()
            .flatMap(v -> List.of(v.split(",")).stream())
            .map(String::trim)
            .distinct()
            .count()
        > 1) {
      throw new BadRequest("Conflicting Content-Length values.");
    }
    if (chunked) {
      List<String> codings = headers.values(HeaderNames.TRANSFER_ENCODING);
      if (codings.size() != 1 || !codings.getFirst().trim().equalsIgnoreCase("chunked")) {
        throw new BadRequest("Only 'Transfer-Encoding: chunked' is accepted.");
      }
    }
  }
}
