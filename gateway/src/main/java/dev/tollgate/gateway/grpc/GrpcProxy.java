package dev.tollgate.gateway.grpc;

import dev.tollgate.api.v1alpha1.RouteBackend.Protocol;
import dev.tollgate.gateway.backend.Backend;
import dev.tollgate.gateway.backend.Endpoint;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.pipeline.GatewayExchange;
import dev.tollgate.gateway.problem.GatewayProblems.NoHealthyEndpoint;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.helidon.http.ClientRequestHeaders;
import io.helidon.http.WritableHeaders;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Forwards a gRPC call that passed routing, authentication and rate limiting to one endpoint of the
 * route, over HTTP/2. The method is the upstream path ({@code /package.Service/Method}, after the
 * route's rewrite); request metadata is the client's headers with the gateway's forwarding headers,
 * as for any request. A call is never retried (its messages are streamed, not kept), and its
 * deadline is {@link GrpcTimeout#forCall}.
 */
public final class GrpcProxy {
  private final GrpcChannels channels;
  private final GatewayMetrics metrics;
  private final BiConsumer<GatewayExchange, ClientRequestHeaders> upstreamHeaders;

  /**
   * @param upstreamHeaders writes the headers an upstream gets (the HTTP proxy's rules: forwarding
   *     headers, request id, identity, client {@code X-Tollgate-*} removed)
   */
  public GrpcProxy(
      GrpcChannels channels,
      GatewayMetrics metrics,
      BiConsumer<GatewayExchange, ClientRequestHeaders> upstreamHeaders) {
    this.channels = channels;
    this.metrics = metrics;
    this.upstreamHeaders = upstreamHeaders;
  }

  /** True for a gRPC call; {@link #forward} then answers it whatever the route's protocol. */
  public static boolean isGrpc(GatewayExchange exchange) {
    return GrpcRequests.isGrpc(exchange.request().headers());
  }

  public void forward(GatewayExchange exchange, Backend backend) {
    if (backend.protocol() == Protocol.HTTP1) {
      throw new GrpcProblems.UpstreamNotHttp2();
    }
    String method = fullMethodName(exchange.route().upstreamPath());
    if (method == null) {
      throw new GrpcProblems.NotAMethod();
    }
    Endpoint endpoint = backend.pool().choose(Set.of()).orElseThrow(NoHealthyEndpoint::new);
    Duration timeout = GrpcTimeout.forCall(exchange.request().headers(), backend.timeout());
    long deadline = System.nanoTime() + timeout.toNanos();
    ClientCall<byte[], byte[]> call =
        channels
            .channel(endpoint.uri(), backend.protocol())
            .newCall(
                RawMessages.method(method),
                CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS));
    ClientRequestHeaders headers = ClientRequestHeaders.create(WritableHeaders.create());
    upstreamHeaders.accept(exchange, headers);
    String route = exchange.route().route().id().toString();
    endpoint.started();
    long start = System.nanoTime();
    // stays CANCELLED when the client goes away mid-call
    Status.Code code = Status.Code.CANCELLED;
    try {
      code = new CallRelay(exchange, call, deadline).run(GrpcMetadata.toUpstream(headers));
    } finally {
      endpoint.finished();
      long took = System.nanoTime() - start;
      metrics.upstream(route, took);
      metrics.grpcCall(route, code.name());
      exchange.upstreamAttempt(endpoint.toString(), took);
    }
  }

  /** {@code package.Service/Method} from {@code /package.Service/Method}; null for other paths. */
  static String fullMethodName(String path) {
    int slash = path.indexOf('/', 1);
    if (!path.startsWith("/")
        || slash < 2
        || slash == path.length() - 1
        || path.indexOf('/', slash + 1) >= 0) {
      return null;
    }
    return path.substring(1);
  }
}
