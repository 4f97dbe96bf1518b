package dev.tollgate.gateway.auth;

import dev.tollgate.gateway.problem.GatewayProblemException;
import io.helidon.http.Status;
import java.util.Map;

/**
 * 401 with an RFC 6750 challenge. Without a token the challenge carries no error code (RFC 6750
 * 3.1: a request that lacks authentication gets none); with a bad token it says {@code
 * invalid_token} and a description that names the reason but no detail of the keys or claims.
 */
public final class UnauthorizedException extends GatewayProblemException {
  static final String REALM = "tollgate";

  private final String challenge;

  private UnauthorizedException(String detail, String challenge) {
    super(Status.UNAUTHORIZED_401, "unauthorized", "Unauthorized", detail);
    this.challenge = challenge;
  }

  /** No bearer token on a route that requires one. */
  public static UnauthorizedException missingToken() {
    return new UnauthorizedException(
        "This route requires a bearer token.", "Bearer realm=\"" + REALM + "\"");
  }

  /** A bearer token was sent and refused. */
  public static UnauthorizedException invalidToken(InvalidTokenException.Reason reason) {
    return new UnauthorizedException(
        reason.description(),
        "Bearer realm=\""
            + REALM
            + "\", error=\"invalid_token\", error_description=\""
            + reason.description()
            + "\"");
  }

  /** The {@code WWW-Authenticate} value. */
  public String challenge() {
    return challenge;
  }

  @Override
  public Map<String, String> headers() {
    return Map.of("WWW-Authenticate", challenge);
  }
}
