package dev.tollgate.gateway.auth;

import dev.tollgate.gateway.problem.GatewayProblemException;
import io.helidon.http.Status;
import java.util.Map;

/**
 * 401 with an RFC 6750 challenge. Without a token the challenge carries no error code (RFC 6750
 * 3.1: a request that lacks authentication gets none); with a bad token it says {@code
 * invalid_token} and a description that names the reason but no detail of the keys or claims; with
 * more than one {@code Authorization} line it says {@code invalid_request}.
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

  /**
   * More than one {@code Authorization} line. RFC 6750 3.1 suggests 400 for {@code
   * invalid_request}; it is 401 here like every other refused credential, so that gRPC clients see
   * {@code UNAUTHENTICATED} (a 400 maps to {@code INTERNAL}) and clients need one rule for auth.
   */
  public static UnauthorizedException repeatedAuthorization() {
    String description = "The request carries more than one Authorization header.";
    return new UnauthorizedException(
        description,
        "Bearer realm=\""
            + REALM
            + "\", error=\"invalid_request\", error_description=\""
            + description
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
