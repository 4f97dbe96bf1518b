package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.backend.Backend;
import dev.tollgate.gateway.backend.Endpoint;
import dev.tollgate.gateway.backend.RequestFault;
import dev.tollgate.gateway.backend.RetryPolicy;
import dev.tollgate.gateway.edge.UnderscoreHeaders;
import dev.tollgate.gateway.grpc.GrpcProxy;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.pipeline.Forwarder;
import dev.tollgate.gateway.pipeline.GatewayExchange;
import dev.tollgate.gateway.problem.GatewayProblems.InvalidBackend;
import dev.tollgate.gateway.problem.GatewayProblems.NoHealthyEndpoint;
import dev.tollgate.gateway.problem.GatewayProblems.RequestBodyFailed;
import dev.tollgate.gateway.problem.GatewayProblems.UnforwardableRequest;
import dev.tollgate.gateway.problem.GatewayProblems.UpstreamTimeout;
import dev.tollgate.gateway.problem.GatewayProblems.UpstreamUnreachable;
import dev.tollgate.gateway.proxy.http1.ClientBodyException;
import dev.tollgate.gateway.proxy.http1.Http1Exchange;
import dev.tollgate.gateway.proxy.http1.UnsendableRequestException;
import dev.tollgate.gateway.proxy.http1.UpstreamResponse;
import dev.tollgate.gateway.route.RouteMatch;
import dev.tollgate.gateway.tracing.GatewayTracing;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import io.helidon.http.ClientRequestHeaders;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.WritableHeaders;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a matched request to one of the route's endpoints and streams the answer back. Each attempt
 * runs inside the endpoint's circuit breaker; connect failures, timeouts, broken connections and
 * 502/503/504 answers count as breaker failures, the request's own faults ({@link RequestFault}) do
 * not. Idempotent requests without a body are retried on another endpoint where the route's retry
 * policy allows. Bodies are streamed in both directions and never held in memory.
 */
public final class UpstreamProxy implements Forwarder {
  private static final Logger LOG = LoggerFactory.getLogger(UpstreamProxy.class);

  private final UpstreamConnections connections;
  private final GatewayMetrics metrics;
  private final UpstreamRequestHeaders headers;
  private final Duration bodyTimeout;
  private final GatewayTracing tracing;
  private final GrpcProxy grpc;

  /**
   * @param underscores what to do with client header names containing {@code _}
   * @param bodyTimeout longest wait for the next bytes of a client's request body
   * @param grpc forwards gRPC calls (over HTTP/2, which this class's client does not speak)
   */
  public UpstreamProxy(
      UpstreamConnections connections,
      GatewayMetrics metrics,
      UnderscoreHeaders underscores,
      Duration bodyTimeout,
      GatewayTracing tracing,
      GrpcProxy grpc) {
    this.connections = connections;
    this.metrics = metrics;
    this.headers = new UpstreamRequestHeaders(underscores);
    this.bodyTimeout = bodyTimeout;
    this.tracing = tracing;
    this.grpc = grpc;
  }

  @Override
  public void forward(GatewayExchange exchange) {
    RouteMatch match = exchange.route();
    Backend backend = match.route().backends().pick().orElseThrow(InvalidBackend::new);
    if (GrpcProxy.isGrpc(exchange)) {
      grpc.forward(exchange, backend);
      return;
    }
    RequestBody body = RequestBody.open(exchange.request(), bodyTimeout);
    boolean mayRetry = !body.present() && RetryPolicy.isIdempotent(exchange.method());
    int retriesLeft = mayRetry ? backend.retry().attempts() : 0;
    Set<Endpoint> failed = new HashSet<>(2);
    while (true) {
      Endpoint endpoint = backend.pool().choose(failed).orElseThrow(NoHealthyEndpoint::new);
      endpoint.started();
      try {
        UpstreamResponse response = attempt(exchange, endpoint, body, backend);
        int status = response.status();
        if (retriesLeft > 0 && status >= 500 && backend.retry().retriesStatus(status)) {
          retriesLeft--;
          failed.add(endpoint);
          closeQuietly(response);
          continue;
        }
        relay(exchange, response);
        return;
      } catch (AttemptFailedException e) {
        AttemptFailure failure = e.failure();
        failed.add(endpoint);
        if (failure.kind() == AttemptFailure.Kind.CIRCUIT_OPEN) {
          continue;
        }
        if (retriesLeft > 0 && failure.retryableUnder(backend.retry())) {
          retriesLeft--;
          closeQuietly(failure.response());
          continue;
        }
        answer(exchange, endpoint, failure);
        return;
      } finally {
        endpoint.finished();
      }
    }
  }

  private UpstreamResponse attempt(
      GatewayExchange exchange, Endpoint endpoint, RequestBody body, Backend backend) {
    long start = System.nanoTime();
    Span span = tracing.upstreamSpan(exchange.span(), endpoint.uri());
    int status = 0;
    try {
      UpstreamResponse answered =
          endpoint
              .breaker()
              .invoke(
                  () -> {
                    UpstreamResponse response = send(exchange, endpoint, body, backend, span);
                    if (isGatewayError(response.status())) {
                      throw new AttemptFailedException(
                          new AttemptFailure(AttemptFailure.Kind.GATEWAY_ERROR, null, response));
                    }
                    return response;
                  });
      status = answered.status();
      return answered;
    } catch (CircuitBreakerOpenException e) {
      throw new AttemptFailedException(
          new AttemptFailure(AttemptFailure.Kind.CIRCUIT_OPEN, e, null));
    } catch (AttemptFailedException e) {
      if (e.failure().response() != null) {
        status = e.failure().response().status();
      }
      throw e;
    } catch (RuntimeException e) {
      throw new AttemptFailedException(AttemptFailure.classify(e));
    } finally {
      long took = System.nanoTime() - start;
      metrics.upstream(exchange.route().route().id().toString(), took);
      exchange.upstreamAttempt(endpoint.toString(), took);
      tracing.endUpstreamSpan(exchange.span(), span, status);
    }
  }

  /**
   * One exchange on a pooled connection. A reused keep-alive connection that the upstream closed
   * while it was idle fails on first use; a request without a body that is idempotent is then sent
   * once more, on a fresh connection (RFC 9110, 9.2.2: when the close crossed the request, the
   * upstream may have received it once already, which such a request allows). Once only, and not
   * when the upstream answered something malformed: that is its answer, and replaying a request on
   * every pooled connection in turn would multiply it.
   */
  private UpstreamResponse send(
      GatewayExchange exchange, Endpoint endpoint, RequestBody body, Backend backend, Span span) {
    UpstreamConnections.Lease lease = connections.acquire(endpoint.uri());
    try {
      return sendOn(lease, exchange, endpoint, body, backend, span);
    } catch (RuntimeException e) {
      lease.connection().close();
      boolean replayable = !body.present() && RetryPolicy.isIdempotent(exchange.method());
      if (!lease.reused() || !replayable || !AttemptFailure.classify(e).closedUnanswered()) {
        throw e;
      }
    }
    UpstreamConnections.Lease fresh = connections.open(endpoint.uri());
    try {
      return sendOn(fresh, exchange, endpoint, body, backend, span);
    } catch (RuntimeException e) {
      fresh.connection().close();
      throw e;
    }
  }

  private UpstreamResponse sendOn(
      UpstreamConnections.Lease lease,
      GatewayExchange exchange,
      Endpoint endpoint,
      RequestBody body,
      Backend backend,
      Span span) {
    ClientRequestHeaders target = ClientRequestHeaders.create(WritableHeaders.create());
    headers.copy(exchange, target);
    tracing.inject(span, target);
    if (!target.contains(HeaderNames.HOST)) {
      target.set(HeaderValues.create(HeaderNames.HOST, endpoint.uri().getRawAuthority()));
    }
    try {
      return Http1Exchange.send(
          lease.connection(),
          exchange.method(),
          UpstreamTarget.requestTarget(exchange),
          target,
          body.present() ? body.stream() : null,
          backend.timeout(),
          socket -> connections.release(endpoint.uri(), socket));
    } catch (UnsendableRequestException | ClientBodyException e) {
      throw new RequestFault(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isGatewayError(int status) {
    return status == 502 || status == 503 || status == 504;
  }

  /** The last attempt failed: relay an upstream gateway error, otherwise answer ourselves. */
  private static void answer(GatewayExchange exchange, Endpoint endpoint, AttemptFailure failure) {
    switch (failure.kind()) {
      case GATEWAY_ERROR -> relay(exchange, failure.response());
      case TIMEOUT -> throw new UpstreamTimeout(failure.cause());
      case REQUEST ->
          throw failure.cause() instanceof UnsendableRequestException unsendable
              ? new UnforwardableRequest(unsendable)
              : new RequestBodyFailed(failure.cause());
      default -> {
        LOG.debug("Upstream {} failed ({})", endpoint, failure.kind(), failure.cause());
        throw new UpstreamUnreachable(failure.cause());
      }
    }
  }

  /** Relays the answer; its connection goes back to the pool if its body was read to the end. */
  private static void relay(GatewayExchange exchange, UpstreamResponse response) {
    try (response) {
      ResponseRelay.relay(exchange, response.status(), response.headers(), response.body());
    }
  }

  private static void closeQuietly(UpstreamResponse response) {
    if (response != null) {
      response.close();
    }
  }

  /** Carries a classified failure out of the circuit breaker's supplier. */
  private static final class AttemptFailedException extends RuntimeException {
    private final transient AttemptFailure failure;

    AttemptFailedException(AttemptFailure failure) {
      super(null, null, false, false);
      this.failure = failure;
    }

    AttemptFailure failure() {
      return failure;
    }
  }
}
