package dev.tollgate.gateway.ratelimit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.api.v1alpha1.RouteAuth.JwtMode;
import dev.tollgate.gateway.auth.BearerAuthenticator;
import dev.tollgate.gateway.auth.ClientIdentity;
import dev.tollgate.gateway.auth.RouteAuthModes;
import dev.tollgate.gateway.auth.UnauthorizedException;
import dev.tollgate.gateway.config.ActiveConfig;
import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.gateway.problem.GatewayProblemException;
import dev.tollgate.gateway.route.MatchRequest;
import dev.tollgate.gateway.route.RequestPaths;
import dev.tollgate.gateway.route.RouteMatch;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitOutcome;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.RateLimiter;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * {@code POST /admin/explain} (admin socket only): answers "why was this client limited?" for a
 * described request: the route it matches, how it authenticates, and for every limit that applies
 * its tier, its key value, and its remaining quota and reset, read from the same engine real
 * requests use. Nothing is charged.
 *
 * <p>How it reads without charging: a decision is atomic and a refused request consumes nothing, so
 * each limit is asked for a request costing one more than its capacity, which every algorithm
 * refuses while reporting the untouched remaining count. It goes to the engine directly, past the
 * over-limit cache, so it neither answers from nor fills that cache.
 */
public final class ExplainHandler implements Handler {
  private final ActiveConfig active;
  private final BearerAuthenticator authenticator;
  private final Limiters limiters;
  private final int ipv6PrefixBits;
  private final ObjectMapper json = ApiJson.mapper();

  public ExplainHandler(
      ActiveConfig active,
      BearerAuthenticator authenticator,
      Limiters limiters,
      int ipv6PrefixBits) {
    this.active = active;
    this.authenticator = authenticator;
    this.limiters = limiters;
    this.ipv6PrefixBits = ipv6PrefixBits;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) throws IOException {
    res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json"));
    Optional<GatewayConfig> config = active.current();
    if (config.isEmpty()) {
      res.status(Status.SERVICE_UNAVAILABLE_503).send("{\"loaded\":false}");
      return;
    }
    ExplainRequest request;
    try {
      request = ExplainRequest.parse(json.readTree(req.content().inputStream()));
    } catch (IOException | IllegalArgumentException e) {
      ObjectNode error =
          json.createObjectNode().put("error", "bad explain request: " + e.getMessage());
      res.status(Status.BAD_REQUEST_400).send(json.writeValueAsBytes(error));
      return;
    }
    res.send(
        json.writerWithDefaultPrettyPrinter().writeValueAsBytes(explain(config.get(), request)));
  }

  ObjectNode explain(GatewayConfig config, ExplainRequest request) {
    ObjectNode root = json.createObjectNode();
    root.put("configVersion", config.version());
    Optional<RouteMatch> match;
    try {
      String path = RequestPaths.normalize(request.rawPath());
      match =
          config
              .routes()
              .match(
                  new MatchRequest(
                      request.host(), request.method(), path, request::header, name -> List.of()));
    } catch (GatewayProblemException e) {
      root.putNull("route");
      root.put("answer", e.status().code()).put("detail", e.getMessage());
      return root;
    }
    if (match.isEmpty()) {
      root.putNull("route");
      root.put("answer", 404).put("detail", "No route matches this request.");
      return root;
    }
    RouteMatch route = match.get();
    root.put("route", route.route().id().toString());
    root.put("matchedPath", route.matchedPath());
    ClientIdentity identity = authenticate(config, route, request, root.putObject("auth"));
    if (identity == null) {
      root.put("answer", 401);
      root.putArray("limits");
      return root;
    }
    KeyInputs inputs =
        new KeyInputs(
            identity,
            request::header,
            ClientNetwork.of(request.clientIp(), ipv6PrefixBits),
            route.matchedPath(),
            request.method(),
            route.route().id().toString(),
            request.clientCertificate());
    ArrayNode limits = root.putArray("limits");
    for (CompiledLimit limit :
        config.extension(EnforcementPlan.class).limitsOf(route.route().id())) {
      try {
        limits.add(describe(limit, inputs));
      } catch (RepeatedKeyHeaderException e) {
        root.put("answer", e.status().code()).put("detail", e.getMessage());
        return root;
      }
    }
    return root;
  }

  private ClientIdentity authenticate(
      GatewayConfig config, RouteMatch route, ExplainRequest request, ObjectNode auth) {
    JwtMode mode = config.extension(RouteAuthModes.class).modeOf(route.route().id());
    auth.put("mode", mode.name().toLowerCase(Locale.ROOT));
    try {
      ClientIdentity identity = authenticator.authenticate(mode, request.header("authorization"));
      auth.put("result", identity.isAnonymous() ? "anonymous" : "authenticated");
      identity.subject().ifPresent(s -> auth.put("subject", s));
      return identity;
    } catch (UnauthorizedException e) {
      auth.put("result", "refused").put("detail", e.getMessage()).put("challenge", e.challenge());
      return null;
    }
  }

  private ObjectNode describe(CompiledLimit limit, KeyInputs inputs) {
    ObjectNode node = json.createObjectNode();
    node.put("policy", limit.policy());
    node.put("limit", limit.definition().id().limit());
    node.put("name", limit.name());
    node.put("enforcement", limit.enforcement().name().toLowerCase(Locale.ROOT));
    node.put("failureMode", limit.failureMode().name().toLowerCase(Locale.ROOT));
    Optional<String> tier = limit.tierOf(inputs.identity());
    tier.ifPresentOrElse(t -> node.put("tier", t), () -> node.putNull("tier"));
    Optional<LimitCheck> check = limit.checkFor(inputs);
    if (check.isEmpty()) {
      node.put("unlimited", true);
      return node;
    }
    LimitDefinition numbers = check.get().limit();
    node.put("unlimited", false);
    node.put("algorithm", numbers.algorithm().wireName());
    node.put("requests", numbers.requests());
    node.put(
        "periodSeconds",
        numbers.periodMicrosAt(Math.multiplyExact(System.currentTimeMillis(), 1_000)) / 1e6);
    node.put("burst", numbers.burst());
    node.put("cost", limit.cost());
    node.put("key", check.get().keyValue());
    Optional<LimitOutcome> state = peek(check.get());
    if (state.isEmpty()) {
      node.put("error", "the rate limiter is unavailable");
      return node;
    }
    node.put("remaining", state.get().remaining());
    node.put("resetSeconds", RateLimitHeaders.seconds(state.get().reset()));
    node.put("nextRequestAllowed", state.get().remaining() >= limit.cost());
    return node;
  }

  /**
   * Waits as requests do: the engine ends every decision within its budget ({@link RateLimiter}).
   */
  private Optional<LimitOutcome> peek(LimitCheck check) {
    LimitRequest impossible =
        LimitRequest.of(
            new LimitCheck(check.limit(), check.keyValue(), check.limit().capacity() + 1));
    try {
      return Optional.of(
          limiters.peeker().decide(impossible).toCompletableFuture().get().outcomes().getFirst());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.empty();
    }
  }
}
