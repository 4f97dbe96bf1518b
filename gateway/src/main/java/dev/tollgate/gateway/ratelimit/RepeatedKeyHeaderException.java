package dev.tollgate.gateway.ratelimit;

import dev.tollgate.gateway.problem.GatewayProblemException;
import io.helidon.http.Status;

/**
 * 400: a header that keys an enforced limit arrived on more than one line. Its values would be
 * joined into the key, so a client adding a line of anything (an upstream reading only the first
 * line still sees its own key) would get a fresh bucket with every request; and which line an
 * upstream acts on is its own choice, so no single line can be keyed on either. The name comes from
 * the policy, never from the client.
 */
public final class RepeatedKeyHeaderException extends GatewayProblemException {
  public RepeatedKeyHeaderException(String header) {
    super(
        Status.BAD_REQUEST_400,
        "bad-request",
        "Bad request",
        "The header " + header + " keys a rate limit and may be sent only once.");
  }
}
