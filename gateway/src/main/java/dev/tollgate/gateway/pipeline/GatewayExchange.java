package dev.tollgate.gateway.pipeline;

import dev.tollgate.gateway.config.GatewayConfig;
import dev.tollgate.gateway.net.ClientAddressResolver;
import dev.tollgate.gateway.problem.StageHeaders;
import dev.tollgate.gateway.route.RequestTarget;
import dev.tollgate.gateway.route.RouteMatch;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.opentelemetry.api.trace.Span;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-request facts shared by the stages: the configuration read once for this request, the matched
 * route, the client address, and headers that stages add for the upstream or the client (a problem
 * that ends the request carries them to the error handler). Stages store their own results with
 * {@link #put}/{@link #get} keyed by their result type (for example an authenticated subject or a
 * limit decision).
 */
public final class GatewayExchange implements StageHeaders {
  private final ServerRequest request;
  private final ServerResponse response;
  private final GatewayConfig config;
  private final String requestId;
  private final ClientAddressResolver addresses;
  // one request, one thread: like the fields below, no concurrent map needed
  private final Map<Class<?>, Object> attributes = new HashMap<>(4);
  private final List<Header> upstreamHeaders = new ArrayList<>(2);
  private final List<Header> responseHeaders = new ArrayList<>(4);
  private final long arrivalMillis;
  private final Span span;
  private final RequestTarget target;
  private RouteMatch match;
  private InetAddress peerAddress;
  private InetAddress clientAddress;
  private String upstreamEndpoint = "";
  private long upstreamNanos = -1;

  /**
   * @param span the request's server span (not recording unless tracing exports)
   */
  public GatewayExchange(
      ServerRequest request,
      ServerResponse response,
      GatewayConfig config,
      String requestId,
      ClientAddressResolver addresses,
      Span span) {
    this.request = request;
    this.response = response;
    this.config = config;
    this.requestId = requestId;
    this.addresses = addresses;
    this.span = span;
    this.arrivalMillis = System.currentTimeMillis();
    this.target = RequestTarget.of(request.prologue().uriPath().rawPath(), request.authority());
  }

  public ServerRequest request() {
    return request;
  }

  public ServerResponse response() {
    return response;
  }

  /** The path and authority the request names; read these, not the request's own. */
  public RequestTarget target() {
    return target;
  }

  /** The configuration this request is served with, even if a reload happens meanwhile. */
  public GatewayConfig config() {
    return config;
  }

  public String requestId() {
    return requestId;
  }

  /** When the request arrived, epoch milliseconds. */
  public long arrivalMillis() {
    return arrivalMillis;
  }

  /** The request's server span: parent of the stages' and upstream attempts' spans. */
  public Span span() {
    return span;
  }

  /** Notes an upstream attempt; the last one is what the access record names. */
  public void upstreamAttempt(String endpoint, long nanos) {
    this.upstreamEndpoint = endpoint;
    this.upstreamNanos = nanos;
  }

  /** The endpoint of the last upstream attempt, empty when none was made. */
  public String upstreamEndpoint() {
    return upstreamEndpoint;
  }

  /** How long the last upstream attempt took until its response headers, -1 without one. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  public String method() {
    return request.prologue().method().text();
  }

  /** The matched route; present after the route stage. */
  public Optional<RouteMatch> match() {
    return Optional.ofNullable(match);
  }

  /** The matched route; for stages that run after matching. */
  public RouteMatch route() {
    if (match == null) {
      throw new IllegalStateException("no route matched yet");
    }
    return match;
  }

  void match(RouteMatch match) {
    this.match = match;
  }

  /**
   * TCP peer of this connection, read once per request: Helidon builds a new peer description on
   * every {@code remotePeer()}, and a request asks for its peer several times.
   */
  public InetAddress peerAddress() {
    if (peerAddress == null) {
      peerAddress = ClientAddressResolver.peerAddress(request.remotePeer().address());
    }
    return peerAddress;
  }

  /** The client IP after trusted-proxy {@code X-Forwarded-For} processing. */
  public InetAddress clientAddress() {
    if (clientAddress == null) {
      clientAddress =
          addresses.resolve(
              peerAddress(), request.headers().values(io.helidon.http.HeaderNames.X_FORWARDED_FOR));
    }
    return clientAddress;
  }

  public boolean peerIsTrustedProxy() {
    return addresses.isTrusted(peerAddress());
  }

  /**
   * Adds a header sent to the upstream (after client {@code X-Tollgate-*} headers were removed).
   */
  public void addUpstreamHeader(String name, String value) {
    upstreamHeaders.add(HeaderValues.create(name, value));
  }

  public List<Header> upstreamHeaders() {
    return upstreamHeaders;
  }

  /** Adds a header to the client response, whether it is proxied or a problem. */
  public void addResponseHeader(String name, String value) {
    responseHeaders.add(HeaderValues.create(name, value));
  }

  /**
   * Like {@link #addResponseHeader(String, String)}, with a name made once rather than per call.
   */
  public void addResponseHeader(HeaderName name, String value) {
    responseHeaders.add(HeaderValues.create(name, value));
  }

  @Override
  public List<Header> responseHeaders() {
    return responseHeaders;
  }

  public <T> void put(Class<T> type, T value) {
    attributes.put(type, value);
  }

  public <T> Optional<T> get(Class<T> type) {
    return Optional.ofNullable(type.cast(attributes.get(type)));
  }
}
