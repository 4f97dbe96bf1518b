package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.config.ActiveConfig;
import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.gateway.edge.ClientConnections;
import dev.tollgate.gateway.edge.ClientLimits;
import dev.tollgate.gateway.edge.ClientProtocol;
import dev.tollgate.gateway.edge.UnderscoreHeaders;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.net.ClientAddressResolver;
import dev.tollgate.gateway.problem.GatewayProblemException;
import dev.tollgate.gateway.problem.GatewayProblems.NotReady;
import dev.tollgate.gateway.problem.GatewayProblems.Overloaded;
import dev.tollgate.gateway.tracing.GatewayTracing;
import io.helidon.http.RequestException;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;

/**
 * The catch-all handler of the public socket. Helidon's routing is fixed at start while routes
 * change at runtime, so this handler reads the current {@link GatewayConfig} once, runs the stages
 * in order (header-list and framing guards, route match, then the policy stages) and proxies. Each
 * request is served entirely by the configuration it started with. A WebSocket handshake goes
 * through the same stages; once the upstream switched protocols, the handshake is accounted for
 * (status 101, its duration) and the connection's thread then relays the WebSocket until it ends.
 * Past {@code maxRequestsInFlight} requests at once, a request is answered 503 {@code overloaded}
 * before anything else is done for it.
 */
public final class GatewayHandler implements Handler {
  private final ActiveConfig active;
  private final List<RequestStage> stages;
  private final Forwarder proxy;
  private final ProtocolSwitch webSockets;
  private final GatewayMetrics metrics;
  private final ClientAddressResolver addresses;
  private final InFlightRequests inFlight;
  private final int maxInFlight;
  private final GatewayTracing tracing;
  private final RequestLog requestLog;

  /**
   * @param policyStages stages run after the route is matched and before proxying, in order
   * @param limits the in-flight cap and the underscore-header rule
   * @param maxHeaderListSize largest HTTP/2 header list, uncompressed ({@link HeaderListGuard})
   * @param requestLog told about every answered request (the access log and stream)
   */
  public GatewayHandler(
      ActiveConfig active,
      List<RequestStage> policyStages,
      Forwarder proxy,
      ProtocolSwitch webSockets,
      GatewayMetrics metrics,
      ClientAddressResolver addresses,
      InFlightRequests inFlight,
      ClientLimits limits,
      int maxHeaderListSize,
      GatewayTracing tracing,
      RequestLog requestLog) {
    this.active = active;
    this.stages = stagesInOrder(policyStages, limits.underscoreHeaders(), maxHeaderListSize);
    this.proxy = proxy;
    this.webSockets = webSockets;
    this.metrics = metrics;
    this.addresses = addresses;
    this.inFlight = inFlight;
    this.maxInFlight = limits.maxRequestsInFlight();
    this.tracing = tracing;
    this.requestLog = requestLog;
  }

  private static List<RequestStage> stagesInOrder(
      List<RequestStage> policyStages, UnderscoreHeaders underscores, int maxHeaderListSize) {
    List<RequestStage> all = new java.util.ArrayList<>();
    all.add(new HeaderListGuard(maxHeaderListSize));
    all.add(new FramingGuard());
    if (underscores == UnderscoreHeaders.REFUSE) {
      all.add(new UnderscoreHeaderGuard());
    }
    all.add(new RouteStage());
    all.addAll(policyStages);
    return List.copyOf(all);
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    long start = System.nanoTime();
    int status = 500;
    GatewayExchange exchange = null;
    SentOnce sent = null;
    ClientConnections.closeAfterIfAsked(req, res);
    if (ClientConnections.currentOverCap()) {
      metrics.request(null, 503, System.nanoTime() - start);
      throw new Overloaded();
    }
    ProtocolSwitch.Switched tunnel = null;
    if (!inFlight.tryEnter(maxInFlight)) {
      metrics.overloaded("requests");
      metrics.request(null, 503, System.nanoTime() - start);
      throw new Overloaded();
    }
    boolean handshake = webSockets.isHandshake(req);
    String method = req.prologue().method().text();
    Span span = tracing.serverSpan(req.headers(), method);
    try {
      GatewayConfig config = active.current().orElseThrow(NotReady::new);
      exchange = new GatewayExchange(req, res, config, RequestIds.of(req), addresses, span);
      exchange.addResponseHeader("X-Request-Id", exchange.requestId());
      if (requestLog.enabled()) {
        sent = recordWhenSent(exchange, start);
      }
      for (RequestStage stage : stages) {
        apply(stage, exchange);
      }
      var redirect = exchange.route().route().filters().redirect();
      if (redirect.isPresent()) {
        RedirectResponder.redirect(exchange, redirect.get());
      } else if (handshake) {
        tunnel = webSockets.open(exchange).orElse(null);
      } else {
        proxy.forward(exchange);
      }
      status = tunnel != null ? 101 : res.status().code();
    } catch (GatewayProblemException e) {
      RuntimeException answer = ClientConnections.afterDeadline(e);
      status =
          answer instanceof GatewayProblemException problem
              ? problem.status().code()
              : e.status().code();
      throw withStageHeaders(answer, exchange);
    } catch (RequestException e) {
      status = e.status().code();
      if (sent != null) {
        // answered by Helidon's direct handler, which may not run the whenSent callbacks
        sent.record(status, -1);
      }
      throw e;
    } catch (RuntimeException e) {
      RuntimeException answer = ClientConnections.afterDeadline(e);
      if (answer instanceof GatewayProblemException problem) {
        status = problem.status().code();
      }
      throw withStageHeaders(answer, exchange);
    } finally {
      inFlight.exit();
      ClientConnections.requestAnswered();
      String route =
          exchange == null
              ? null
              : exchange.match().map(m -> m.route().id().toString()).orElse(null);
      metrics.request(route, status, System.nanoTime() - start);
      if (handshake) {
        metrics.webSocketUpgrade(status);
      }
      tracing.endServerSpan(span, method, route, status);
    }
    if (tunnel != null) {
      relay(tunnel, sent);
    } else if (ClientProtocol.of(req) == ClientProtocol.HTTP_1) {
      // The response is sent; Helidon reads the connection's next request when this returns,
      // which the client has rarely sent yet. Yielding first (as before the upstream's answer,
      // Http1Exchange) makes that read find it more often instead of parking on the poller. An
      // HTTP/2 stream's thread ends here instead.
      Thread.yield();
    }
  }

  /** A problem leaving the handler takes the headers the stages set for the client along. */
  private static RuntimeException withStageHeaders(
      RuntimeException answer, GatewayExchange exchange) {
    return answer instanceof GatewayProblemException problem && exchange != null
        ? problem.withStageHeaders(exchange)
        : answer;
  }

  /**
   * Runs the WebSocket on this thread (no longer counted in flight), then closes the connection
   * without a response: the 101 was the response.
   */
  private static void relay(ProtocolSwitch.Switched tunnel, SentOnce sent) {
    if (sent != null) {
      sent.record(101, 0);
    }
    tunnel.run();
    throw new CloseConnectionException("WebSocket ended");
  }

  private void apply(RequestStage stage, GatewayExchange exchange) {
    String spanName = stage.spanName();
    if (spanName == null || !exchange.span().isRecording()) {
      stage.apply(exchange);
      return;
    }
    Span span = tracing.internalSpan(exchange.span(), spanName);
    try {
      stage.apply(exchange);
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }

  /** Records the request once its response is out, with the status and body bytes sent. */
  private SentOnce recordWhenSent(GatewayExchange exchange, long start) {
    SentOnce once = new SentOnce(exchange, start);
    ServerResponse response = exchange.response();
    response.whenSent(() -> once.record(response.status().code(), response.bytesWritten()));
    return once;
  }

  /** Records a request exactly once, whichever way its response left. */
  private final class SentOnce {
    private final GatewayExchange exchange;
    private final long start;
    private boolean recorded;

    SentOnce(GatewayExchange exchange, long start) {
      this.exchange = exchange;
      this.start = start;
    }

    /** A response is sent by one thread, the request's own: no synchronization needed. */
    void record(int status, long bytes) {
      if (!recorded) {
        recorded = true;
        requestLog.record(exchange, status, bytes, System.nanoTime() - start);
      }
    }
  }
}
