package dev.tollgate.gateway;

import dev.tollgate.gateway.edge.ClientConnections;
import dev.tollgate.gateway.edge.ClientProtocol;
import dev.tollgate.gateway.grpc.GrpcProblemResponse;
import dev.tollgate.gateway.grpc.GrpcRequests;
import dev.tollgate.gateway.problem.DirectProblemHandler;
import dev.tollgate.gateway.problem.GatewayProblemException;
import dev.tollgate.gateway.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * The one place that turns the gateway's typed {@link GatewayProblemException}s into {@code
 * application/problem+json} responses. Everything else (Helidon's own {@code RequestException}s,
 * which may demand that the connection be closed, and unexpected failures) is left to Helidon,
 * whose direct handlers render it as problem+json too ({@link DirectProblemHandler}), with the
 * cause in the log, never in the body. It lives beside the routing it is registered on, above the
 * problem package: it must know the client's protocol and gRPC's status trailers, which in turn
 * speak the problem package's vocabulary.
 */
final class ProblemResponder {
  private ProblemResponder() {}

  /** Registers the error handler on a routing; call once per routing. */
  static void register(HttpRouting.Builder routing) {
    routing.error(GatewayProblemException.class, typed());
  }

  private static ErrorHandler<GatewayProblemException> typed() {
    return (req, res, e) -> {
      // Headers the stages set (X-Request-Id, RateLimit fields) belong on problems too.
      e.stageHeaders().ifPresent(stages -> stages.responseHeaders().forEach(res::header));
      if (GrpcRequests.isGrpc(req.headers())) {
        // a gRPC client reads grpc-status, not a problem body
        GrpcProblemResponse.send(res, req.headers().first(HeaderNames.CONTENT_TYPE).get(), e);
        return;
      }
      if (ClientProtocol.of(req) == ClientProtocol.HTTP_1
          && req.content().hasEntity()
          && !req.content().consumed()) {
        // The connection ends with the answer: read after it, the unused body would have no
        // deadline (a client trickling a large body could hold the connection as long as it
        // likes), and its bytes would be parsed as the next request. (HTTP/2 forbids the
        // header: there the unread body belongs to the stream alone.)
        res.header(HeaderValues.CONNECTION_CLOSE);
        ClientConnections.closeAfter(res);
      }
      send(res, e);
    };
  }

  /** Writes the problem unless the response is already committed (then only the log knows). */
  private static void send(ServerResponse res, GatewayProblemException e) {
    if (res.isSent()) {
      return;
    }
    res.status(e.status());
    res.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE));
    res.header(HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store"));
    e.headers().forEach(res::header);
    res.send(Problem.of(e).toJson().getBytes(StandardCharsets.UTF_8));
  }
}
