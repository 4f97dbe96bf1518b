package dev.tollgate.gateway.pipeline;

import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import java.util.List;

/**
 * Refuses requests whose body length two HTTP parsers could read differently, the root of request
 * smuggling: {@code Content-Length} together with {@code Transfer-Encoding}, several differing
 * {@code Content-Length} values, or a transfer coding other than a single {@code chunked}. Runs
 * before anything is sent upstream.
 *
 * <p>The refusal is a Helidon {@link RequestException} without keep-alive, so the server closes the
 * connection after the 400: where this request's body ends is exactly what is in doubt, and the
 * bytes after it (a smuggled request) must never be parsed as the next request. A plain problem
 * response would keep the connection open. The body is rendered by {@link
 * dev.tollgate.gateway.problem.DirectProblemHandler}.
 */
public final class FramingGuard implements RequestStage {
  private static RequestException refused(String reason) {
    return RequestException.builder()
        .type(EventType.BAD_REQUEST)
        .status(Status.BAD_REQUEST_400)
        .message(reason)
        .setKeepAlive(false)
        .build();
  }

  @Override
  public void apply(GatewayExchange exchange) {
    Headers headers = exchange.request().headers();
    boolean chunked = headers.contains(HeaderNames.TRANSFER_ENCODING);
    if (!chunked && !headers.contains(HeaderNames.CONTENT_LENGTH)) {
      return; // no body framing at all (most GETs): nothing two parsers could read differently
    }
    List<String> lengths = headers.values(HeaderNames.CONTENT_LENGTH);
    if (chunked && !lengths.isEmpty()) {
      throw refused("Content-Length and Transfer-Encoding must not both be present.");
    }
    if (lengths.stream()
            .flatMap(v -> List.of(v.split(",")).stream())
            .map(String::trim)
            .distinct()
            .count()
        > 1) {
      throw refused("Conflicting Content-Length values.");
    }
    if (chunked) {
      List<String> codings = headers.values(HeaderNames.TRANSFER_ENCODING);
      if (codings.size() != 1 || !codings.getFirst().trim().equalsIgnoreCase("chunked")) {
        throw refused("Only 'Transfer-Encoding: chunked' is accepted.");
      }
    }
  }
}
