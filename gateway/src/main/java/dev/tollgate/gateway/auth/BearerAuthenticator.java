package dev.tollgate.gateway.auth;

import dev.tollgate.api.v1alpha1.RouteAuth.JwtMode;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticate stage: applies a route's {@code auth.jwt} mode to the request's {@code
 * Authorization} header. {@code required}: no valid token, 401. {@code optional}: no bearer token
 * is anonymous, but a bearer token that fails is still 401 (a broken or forged token must not
 * silently fall back to the anonymous limits). {@code none}: the header is not looked at.
 *
 * <p>{@code Authorization} may appear once (RFC 9110 11.6.2). With two field lines the gateway
 * would check one credential while the upstream receives both (joined into one value), and an
 * upstream reading the other one would act on a token nobody verified; so a second line is refused
 * on every route that looks at the header, whatever the lines hold.
 */
public final class BearerAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(BearerAuthenticator.class);
  private static final String SCHEME = "bearer";

  private final JwtVerifier verifier;

  public BearerAuthenticator(JwtVerifier verifier) {
    this.verifier = verifier;
  }

  /**
   * @param authorization every {@code Authorization} field line of the request, in order
   * @throws UnauthorizedException when the mode demands a valid token and there is none, or the
   *     request has more than one {@code Authorization} line
   */
  public ClientIdentity authenticate(JwtMode mode, List<String> authorization) {
    if (mode == JwtMode.NONE) {
      return ClientIdentity.anonymous();
    }
    if (authorization.size() > 1) {
      throw UnauthorizedException.repeatedAuthorization();
    }
    Optional<String> token =
        authorization.stream().findFirst().flatMap(BearerAuthenticator::bearerToken);
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
    int schemeEnd = schemeEnd(value);
    if (!value.substring(0, schemeEnd).equalsIgnoreCase(SCHEME)) {
      return Optional.empty();
    }
    return Optional.of(value.substring(schemeEnd).strip());
  }

  /**
   * Where the scheme ends: at the first SP or HTAB. RFC 9110 11.4 puts only SP there, but upstream
   * frameworks commonly split the header on any whitespace; ending the scheme at SP alone made
   * {@code "Bearer<TAB>token"} "another scheme", which an optional route passed on unverified.
   */
  private static int schemeEnd(String value) {
    int end = 0;
    while (end < value.length() && value.charAt(end) != ' ' && value.charAt(end) != '\t') {
      end++;
    }
    return end;
  }
}
