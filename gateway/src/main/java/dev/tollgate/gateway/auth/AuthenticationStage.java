package dev.tollgate.gateway.auth;

import dev.tollgate.api.v1alpha1.RouteAuth.JwtMode;
import dev.tollgate.gateway.pipeline.GatewayExchange;
import dev.tollgate.gateway.pipeline.RequestStage;
import io.helidon.http.HeaderNames;
import java.util.List;

/**
 * The authenticate stage: applies the matched route's JWT mode, stores the {@link ClientIdentity}
 * on the exchange for the later stages, and forwards the subject upstream as {@code
 * X-Tollgate-Subject} (the proxy strips any client-sent {@code X-Tollgate-*}, so upstreams can
 * trust it).
 */
public final class AuthenticationStage implements RequestStage {
  public static final String SUBJECT_HEADER = "X-Tollgate-Subject";

  private final BearerAuthenticator authenticator;

  public AuthenticationStage(BearerAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public void apply(GatewayExchange exchange) {
    JwtMode mode =
        exchange.config().extension(RouteAuthModes.class).modeOf(exchange.route().route().id());
    ClientIdentity identity =
        authenticator.authenticate(
            mode, exchange.request().headers().all(HeaderNames.AUTHORIZATION, List::of));
    exchange.put(ClientIdentity.class, identity);
    identity
        .subject()
        .filter(AuthenticationStage::isHeaderSafe)
        .ifPresent(subject -> exchange.addUpstreamHeader(SUBJECT_HEADER, subject));
  }

  // A signed claim can still hold CR/LF or other bytes a header value must not carry; such a
  // subject is not forwarded rather than altered.
  private static boolean isHeaderSafe(String value) {
    return value.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
  }
}
