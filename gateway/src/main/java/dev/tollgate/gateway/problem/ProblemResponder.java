package dev.tollgate.gateway.problem;

import dev.tollgate.gateway.pipeline.GatewayExchange;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * The one place that turns exceptions into {@code application/problem+json} responses. Typed {@link
 * GatewayProblemException}s keep their status; anything else is a 500 whose detail stays in the
 * log, never in the body.
 */
public final class ProblemResponder {
  public static final String MEDIA_TYPE = "application/problem+json";
  private static final System.Logger LOG = System.getLogger(ProblemResponder.class.getName());

  private ProblemResponder() {}

  /** Registers the error handlers on a routing; call once per routing. */
  public static void register(HttpRouting.Builder routing) {
    routing.error(GatewayProblemException.class, typed());
    routing.error(RuntimeException.class, unexpected());
  }

  private static ErrorHandler<GatewayProblemException> typed() {
    return (req, res, e) -> {
      // Headers the stages set (X-Request-Id, RateLimit fields) belong on problems too.
      req.context()
          .get(GatewayExchange.class)
          .ifPresent(exchange -> exchange.responseHeaders().forEach(res::header));
      send(res, e);
    };
  }

  private static ErrorHandler<RuntimeException> unexpected() {
    return (req, res, e) -> {
      LOG.log(Level.WARNING, "Unexpected failure on " + req.prologue().method().text(), e);
      send(res, new Internal());
    };
  }

  /** Writes the problem unless the response is already committed (then only the log knows). */
  public static void send(ServerResponse res, GatewayProblemException e) {
    if (res.isSent()) {
      return;
    }
    res.status(e.status());
    res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, MEDIA_TYPE));
    res.header(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"));
    e.headers().forEach(res::header);
    res.send(Problem.of(e).toJson().getBytes(StandardCharsets.UTF_8));
  }

  private static final class Internal extends GatewayProblemException {
    Internal() {
      super(
          io.helidon.http.Status.INTERNAL_SERVER_ERROR_500,
          "internal",
          "Internal error",
          "The gateway failed to handle this request.");
    }
  }
}
