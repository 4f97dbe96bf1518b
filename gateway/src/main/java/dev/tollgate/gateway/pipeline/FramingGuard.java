package dev.tollgate.gateway.pipeline;

import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Refuses requests whose body length two HTTP parsers could read differently, the root of request
 * smuggling: {@code Content-Length} together with {@code Transfer-Encoding}; a {@code
 * Content-Length} that is anything but one run of digits (RFC 9110 8.6: {@code +5}, {@code 5, 5}
 * and a second header are each read differently by some parser, and nginx refuses them too); a
 * {@code Transfer-Encoding} that is anything but exactly {@code chunked} (once, lower case: {@code
 * Chunked} or {@code chunked, chunked} are the obfuscations of TE.TE smuggling). Runs before
 * anything is sent upstream. The length the upstream sees is regenerated from the parsed number,
 * never copied ({@code UpstreamRequestHeaders}).
 *
 * <p>The refusal is a Helidon {@link RequestException} without keep-alive, so the server closes the
 * connection after the 400: where this request's body ends is exactly what is in doubt, and the
 * bytes after it (a smuggled request) must never be parsed as the next request. A plain problem
 * response would keep the connection open. The body is rendered by {@link
 * dev.tollgate.gateway.problem.DirectProblemHandler}.
 */
public final class FramingGuard implements RequestStage {
  /** At most 18 digits: every such number fits a {@code long}. */
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

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
    boolean sized = headers.contains(HeaderNames.CONTENT_LENGTH);
    if (!chunked && !sized) {
      return; // no body framing at all (most GETs): nothing two parsers could read differently
    }
    if (chunked && sized) {
      throw refused("Content-Length and Transfer-Encoding must not both be present.");
    }
    if (sized) {
      List<String> lengths = headers.values(HeaderNames.CONTENT_LENGTH);
      if (lengths.size() != 1 || !DIGITS.matcher(lengths.getFirst()).matches()) {
        throw refused("Content-Length must be one decimal number.");
      }
      return;
    }
    List<String> codings = headers.values(HeaderNames.TRANSFER_ENCODING);
    if (codings.size() != 1 || !codings.getFirst().equals("chunked")) {
      throw refused("Only 'Transfer-Encoding: chunked' is accepted.");
    }
  }
}
