package dev.tollgate.gateway.auth;

import dev.tollgate.api.v1alpha1.RouteAuth.JwtMode;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticate stage: applies a route's {@code auth.jwt} mode to the request's {@code
 * Authorization} header. {@code required}: no valid token, 401. {@code optional}: no bearer token
 * is anonymous, but a bearer token that fails is still 401 (a broken or forged token must not
 * silently fall back to the anonymous limits). {@code none}: the header is not looked at.
 */
public final class BearerAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(BearerAuthenticator.class);
  private static final String SCHEME = "bearer";

  private final JwtVerifier verifier;

  public BearerAuthenticator(JwtVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * @param authorization the {@code Authorization} header value, if any
   * @throws UnauthorizedException when the mode demands a valid token and there is none
   */
  public ClientIdentity authenticate(JwtMode mode, Optional<String> authorization) {
    if (mode == JwtMode.NONE) {
      return ClientIdentity.anonymous();
    }
    Optional<String> token = authorization.flatMap(BearerAuthenticator::bearerToken);
    if (token.isEmpty()) {
      if (mode == JwtMode.REQUIRED) {
        throw UnauthorizedException.missingToken();
      }
      return ClientIdentity.anonymous();
    }
    try {
      return verifier.verify(token.get());
    } catch (InvalidTokenException e) {
      LOG.debug("Refused bearer token: {}", e.reason());
      throw UnauthorizedException.invalidToken(e.reason());
    }
  }

  /**
   * The credentials of a {@code Bearer} header (scheme case-insensitive, RFC 9110 11.1). An empty
   * credential counts as a token, so that {@code "Bearer "} is refused rather than anonymous.
   */
  static Optional<String> bearerToken(String authorization) {
    String value = authorization.strip();
    int space = value.indexOf(' ');
    String scheme = space < 0 ? value : value.substring(0, space);
    if (!scheme.equalsIgnoreCase(SCHEME)) {
      return Optional.empty();
    }
    return Optional.of(space < 0 ? "" : value.substring(space + 1).strip());
  }
}
