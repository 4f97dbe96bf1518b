package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.backend.Backend;
import dev.tollgate.gateway.backend.Endpoint;
import dev.tollgate.gateway.edge.UnderscoreHeaders;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.pipeline.GatewayExchange;
import dev.tollgate.gateway.problem.GatewayProblems.InvalidBackend;
import dev.tollgate.gateway.problem.GatewayProblems.NoHealthyEndpoint;
import dev.tollgate.gateway.problem.GatewayProblems.UpstreamTimeout;
import dev.tollgate.gateway.problem.GatewayProblems.UpstreamUnreachable;
import dev.tollgate.gateway.tracing.GatewayTracing;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.WritableHeaders;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.TcpClientConnection;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.UpgradeResponse;
import io.opentelemetry.api.trace.Span;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Forwards a client's protocol upgrade request (a WebSocket handshake) to one of the route's
 * endpoints on a connection of its own, and answers the client with what the upstream said: a
 * {@code 101} head written straight onto the client connection (the connection then carries raw
 * bytes, which Helidon's response API cannot write), or any other answer relayed as a normal
 * response. The request headers are built as for every proxied request, except that {@code Upgrade}
 * and {@code Connection: Upgrade} are sent; {@code Sec-WebSocket-*} are end-to-end and pass as they
 * are.
 *
 * <p>There is no retry and no circuit breaker call: a handshake is not replayed on another endpoint
 * once sent, and a refused or failed one is answered like any other upstream failure (502, 504).
 */
public final class UpstreamUpgrade {
  private static final Set<String> NOT_RELAYED =
      Set.of("connection", "upgrade", "content-length", "transfer-encoding", "keep-alive");

  private final Http1Client client;
  private final TunnelConnections connections;
  private final GatewayMetrics metrics;
  private final UpstreamRequestHeaders headers;
  private final GatewayTracing tracing;

  public UpstreamUpgrade(
      TunnelConnections connections,
      GatewayMetrics metrics,
      UnderscoreHeaders underscores,
      GatewayTracing tracing) {
    this.client = connections.http1();
    this.connections = connections;
    this.metrics = metrics;
    this.headers = new UpstreamRequestHeaders(underscores);
    this.tracing = tracing;
  }

  /**
   * Sends the handshake and answers the client.
   *
   * @param protocol the {@code Upgrade} token sent upstream and expected back
   * @param clientWriter the client connection, written the {@code 101} head on success
   * @return the switched upstream connection; empty when the upstream refused (its answer was
   *     relayed to the client)
   */
  public Optional<UpgradedUpstream> forward(
      GatewayExchange exchange, String protocol, DataWriter clientWriter) {
    Backend backend = exchange.route().route().backends().pick().orElseThrow(InvalidBackend::new);
    Endpoint endpoint = backend.pool().choose(Set.of()).orElseThrow(NoHealthyEndpoint::new);
    endpoint.started();
    TcpClientConnection connection = null;
    UpgradeResponse answer = null;
    long start = System.nanoTime();
    Span span = tracing.upstreamSpan(exchange.span(), endpoint.uri());
    try {
      connection = connections.open(endpoint.uri());
      answer = send(exchange, protocol, endpoint, connection, backend.timeout(), span);
    } catch (RuntimeException e) {
      if (connection != null) {
        connection.closeResource();
      }
      endpoint.finished();
      throw failure(e);
    } finally {
      long took = System.nanoTime() - start;
      metrics.upstream(exchange.route().route().id().toString(), took);
      exchange.upstreamAttempt(endpoint.toString(), took);
      tracing.endUpstreamSpan(
          exchange.span(), span, answer == null ? 0 : answer.response().status().code());
    }
    if (!answer.isUpgraded()) {
      relayRefusal(exchange, answer.response(), connection, endpoint);
      return Optional.empty();
    }
    return Optional.of(switchProtocols(exchange, answer, endpoint, clientWriter));
  }

  /** The upstream answered without switching: the client gets that answer. */
  private static void relayRefusal(
      GatewayExchange exchange,
      HttpClientResponse response,
      TcpClientConnection connection,
      Endpoint endpoint) {
    try {
      if (response.status().code() == 101) {
        // a 101 for some other protocol: nothing the client asked for can follow
        throw new UpstreamUnreachable(null);
      }
      ResponseRelay.relay(
          exchange, response.status().code(), response.headers(), response.inputStream());
    } finally {
      connection.closeResource();
      endpoint.finished();
    }
  }

  /** The upstream switched: the client gets its 101, and the connection carries raw bytes. */
  private static UpgradedUpstream switchProtocols(
      GatewayExchange exchange,
      UpgradeResponse answer,
      Endpoint endpoint,
      DataWriter clientWriter) {
    // the connection now stays silent as long as the protocol on it wants; the tunnel's idle
    // timeout ends it, not the handshake's read timeout
    answer.connection().readTimeout(Duration.ZERO);
    UpgradedUpstream upgraded = new UpgradedUpstream(answer.connection(), endpoint);
    try {
      clientWriter.writeNow(BufferData.create(switchingHead(answer.response(), exchange)));
    } catch (RuntimeException e) {
      upgraded.close();
      throw e;
    }
    return upgraded;
  }

  private UpgradeResponse send(
      GatewayExchange exchange,
      String protocol,
      Endpoint endpoint,
      TcpClientConnection connection,
      Duration timeout,
      Span span) {
    return client
        .get()
        .connection(connection)
        .proxy(Proxy.noProxy())
        .uri(UpstreamTarget.of(endpoint, exchange))
        .skipUriEncoding(true)
        .followRedirects(false)
        .readTimeout(timeout)
        .sendExpectContinue(false)
        .headers(
            target -> {
              headers.copy(exchange, target);
              target.set(HeaderValues.create(HeaderNames.UPGRADE, protocol));
              target.set(HeaderValues.create(HeaderNames.CONNECTION, "Upgrade"));
              tracing.inject(span, target);
            })
        .upgrade(protocol);
  }

  /**
   * The client's {@code 101}: the upstream's headers (its {@code Sec-WebSocket-Accept}, protocol
   * and extensions) without framing and connection headers, then the stages' headers (request id,
   * rate-limit fields) and the route's response header changes, as for every proxied response.
   */
  private static byte[] switchingHead(HttpClientResponse upstream, GatewayExchange exchange) {
    WritableHeaders<?> fields = WritableHeaders.create();
    Headers answered = upstream.headers();
    fields.set(HeaderValues.create(HeaderNames.UPGRADE, answered.get(HeaderNames.UPGRADE).get()));
    fields.set(HeaderValues.create(HeaderNames.CONNECTION, "Upgrade"));
    for (Header header : answered) {
      if (!NOT_RELAYED.contains(header.headerName().lowerCase())) {
        fields.add(header);
      }
    }
    exchange.responseHeaders().forEach(fields::set);
    exchange.route().route().filters().responseHeaders().applyTo(fields);
    // values were parsed by Helidon's client or set by the gateway: no CR or LF in them
    StringBuilder head = new StringBuilder(256).append("HTTP/1.1 101 Switching Protocols\r\n");
    for (Header header : fields) {
      for (String value : header.allValues()) {
        head.append(header.name()).append(": ").append(value).append("\r\n");
      }
    }
    return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static RuntimeException failure(RuntimeException e) {
    return switch (AttemptFailure.classify(e).kind()) {
      case TIMEOUT -> new UpstreamTimeout(e);
      default -> new UpstreamUnreachable(e);
    };
  }
}
