package dev.tollgate.gateway.ratelimit;

import dev.tollgate.api.common.Settings;
import dev.tollgate.gateway.auth.AuthenticationStage;
import dev.tollgate.gateway.auth.BearerAuthenticator;
import dev.tollgate.gateway.auth.JwtSettings;
import dev.tollgate.gateway.auth.JwtVerifier;
import dev.tollgate.gateway.auth.RouteAuthModes;
import dev.tollgate.gateway.config.ActiveConfig;
import dev.tollgate.gateway.config.ConfigExtension;
import dev.tollgate.gateway.pipeline.RequestStage;
import dev.tollgate.redis.RedisSettings;
import io.helidon.webserver.http.Handler;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Wires policy enforcement into a gateway: the stages between route match and proxy (authenticate,
 * then decide limits), the config extensions they read (route auth modes, the compiled policies),
 * and the explain handler for the admin socket. Owns the limiter engines; close it after the server
 * stopped.
 */
public final class PolicyEnforcement implements AutoCloseable {
  private final BearerAuthenticator authenticator;
  private final Limiters limiters;
  private final LimiterSettings limiterSettings;
  private final RateLimitMetrics metrics = new RateLimitMetrics();

  private PolicyEnforcement(
      BearerAuthenticator authenticator, Limiters limiters, LimiterSettings limiterSettings) {
    this.authenticator = authenticator;
    this.limiters = limiters;
    this.limiterSettings = limiterSettings;
  }

  /**
   * As {@link #create(Function, Optional, IntSupplier)} for a gateway that counts no peers (in
   * tests, or standalone).
   */
  public static PolicyEnforcement create(Settings settings, Optional<RedisSettings> redis) {
    return create(settings, redis, () -> 0);
  }

  /**
   * @param settings the gateway's settings ({@code TOLLGATE_JWT_*}, {@code TOLLGATE_LIMITER_*})
   * @param redis where the limiter keeps its state; empty = the in-process limiter
   * @param liveGateways the gateways of this instance last counted in Redis, 0 = not known; {@code
   *     failureMode: local} divides limits by it
   * @throws IllegalArgumentException naming the setting when one is invalid
   */
  public static PolicyEnforcement create(
      Settings settings, Optional<RedisSettings> redis, IntSupplier liveGateways) {
    JwtSettings jwt = JwtSettings.from(settings);
    LimiterSettings limiter = LimiterSettings.from(settings, redis);
    return new PolicyEnforcement(
        new BearerAuthenticator(new JwtVerifier(jwt, jwt.keySource())),
        Limiters.create(limiter, liveGateways),
        limiter);
  }

  public List<RequestStage> stages() {
    return List.of(
        new AuthenticationStage(authenticator),
        new RateLimitStage(new LimitEnforcer(limiters, metrics), limiterSettings.ipv6KeyPrefix()));
  }

  public List<ConfigExtension<?>> extensions() {
    // a policy's decision counters go with the first configuration served without its limits
    return List.of(RouteAuthModes.compiler(), new PolicyCompiler(metrics::retainOnly));
  }

  /** The handler for {@code POST /admin/explain}. */
  public Handler explainHandler(ActiveConfig active) {
    return new ExplainHandler(active, authenticator, limiters, limiterSettings.ipv6KeyPrefix());
  }

  @Override
  public void close() {
    limiters.close();
  }
}
