package dev.tollgate.gateway.ratelimit;

import dev.tollgate.gateway.auth.ClientIdentity;
import dev.tollgate.gateway.pipeline.GatewayExchange;
import dev.tollgate.gateway.pipeline.RequestStage;
import dev.tollgate.gateway.route.RouteId;
import dev.tollgate.gateway.tls.ClientCertificates;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The decide-limits stage, after authentication: builds each limit's check for this client (tier
 * and key), decides them in one go, adds the rate-limit fields to the response (allowed or not),
 * and refuses with 429 when an enforced limit is exhausted.
 */
public final class RateLimitStage implements RequestStage {
  // created once: HeaderNames.create lower-cases and looks up the name on every call
  private static final Map<String, HeaderName> FIELD_NAMES =
      Stream.of(
              RateLimitHeaders.POLICY,
              RateLimitHeaders.RATE_LIMIT,
              RateLimitHeaders.X_LIMIT,
              RateLimitHeaders.X_REMAINING,
              RateLimitHeaders.X_RESET,
              RateLimitHeaders.RETRY_AFTER)
          .collect(Collectors.toUnmodifiableMap(name -> name, HeaderNames::create));

  private final LimitEnforcer enforcer;
  private final int ipv6PrefixBits;

  /**
   * @param ipv6PrefixBits network prefix an IPv6 client address is cut to in {@code clientIP} keys
   */
  public RateLimitStage(LimitEnforcer enforcer, int ipv6PrefixBits) {
    this.enforcer = enforcer;
    this.ipv6PrefixBits = ipv6PrefixBits;
  }

  @Override
  public void apply(GatewayExchange exchange) {
    RouteId route = exchange.route().route().id();
    List<CompiledLimit> limits = exchange.config().extension(EnforcementPlan.class).limitsOf(route);
    if (limits.isEmpty()) {
      return;
    }
    List<PlannedCheck> checks = plan(limits, inputsOf(exchange, ipv6PrefixBits));
    if (checks.isEmpty()) {
      return;
    }
    EnforcementResult result = enforcer.enforce(checks);
    exchange.put(EnforcementResult.class, result);
    RateLimitHeaders.of(result.figures())
        .forEach((name, value) -> exchange.addResponseHeader(FIELD_NAMES.get(name), value));
    if (!result.admitted()) {
      throw new QuotaExceededException(result.violated());
    }
  }

  @Override
  public String spanName() {
    return "rate-limit decision";
  }

  /** The checks for this request; limits whose tier is unlimited make none. */
  static List<PlannedCheck> plan(List<CompiledLimit> limits, KeyInputs request) {
    List<PlannedCheck> checks = new ArrayList<>(limits.size());
    for (CompiledLimit limit : limits) {
      limit.checkFor(request).ifPresent(check -> checks.add(new PlannedCheck(limit, check)));
    }
    return checks;
  }

  private static KeyInputs inputsOf(GatewayExchange exchange, int ipv6PrefixBits) {
    return new KeyInputs(
        exchange.get(ClientIdentity.class).orElse(ClientIdentity.anonymous()),
        // one value per line as sent: values() would split a line at its commas, and a
        // User-Agent of any browser would count as the key header sent twice
        name -> exchange.request().headers().all(HeaderNames.create(name), List::of),
        ClientNetwork.of(exchange.clientAddress(), ipv6PrefixBits),
        exchange.route().matchedPath(),
        exchange.method(),
        exchange.route().route().id().toString(),
        ClientCertificates.subject(exchange.request()));
  }
}
