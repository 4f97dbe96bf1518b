package dev.tollgate.gateway;

import dev.tollgate.gateway.admin.ReadinessCheck;
import dev.tollgate.gateway.edge.ClientConnections;
import dev.tollgate.gateway.problem.DirectProblemHandler;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.ErrorHandling;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Socket and feature setup of the WebServer; reused by tests with their own routings. */
public final class GatewayServer {
  /** What requests still running after the drain get to finish when the server stops. */
  static final Duration STOP_GRACE = Duration.ofMillis(500);

  /** Name of the HTTPS socket (present when {@code TOLLGATE_TLS_CERT_DIRS} is set). */
  public static final String HTTPS_SOCKET = "https";

  /** Name of the admin socket. */
  public static final String ADMIN_SOCKET = "admin";

  /**
   * Largest request body the admin port reads ({@code POST /admin/explain} takes a small JSON
   * document); larger ones are answered 413 before any handler runs.
   */
  public static final long ADMIN_MAX_BODY_BYTES = 64 * 1024;

  /** Connections the admin port serves at once (probes, a scraper, an operator's curl). */
  static final int ADMIN_MAX_CONNECTIONS = 64;

  /**
   * Helidon hands the HTTP/1 and HTTP/2 parsers' messages to the direct handler only with this set:
   * {@link DirectProblemHandler} needs one (a header block over the limit is raised as a 400 with
   * it) to answer 431, and never echoes them to the client. Nothing else reads the setting.
   */
  private static final ErrorHandling PARSER_MESSAGES =
      ErrorHandling.builder().includeEntity(true).build();

  private GatewayServer() {}

  /**
   * Public socket (default, with the client limits of {@code connections}) and {@value
   * #ADMIN_SOCKET} socket on its own address with metrics and health. Feature discovery is off:
   * Helidon would otherwise attach every feature on the class path to every socket, putting {@code
   * /observe/*} on the public port. With {@code https}, a {@value #HTTPS_SOCKET} socket on the
   * public address and the TLS port, under the same client limits (one connection cap for both
   * public sockets).
   */
  public static void setup(
      WebServerConfig.Builder server,
      GatewaySettings settings,
      ReadinessCheck readiness,
      ClientConnections connections,
      Optional<Tls> https) {
    Http1Config http1 =
        Http1Config.builder()
            .maxHeadersSize(settings.maxHeaderSize())
            .maxPrologueLength(settings.maxRequestLine())
            .validateRequestHeaders(true)
            .validateRequestHostHeader(true)
            .validatePath(true)
            // Helidon's prologue check holds the query to RFC 3986's letter: it refused
            // `?filter[name]=x` (browsers send brackets, pipes and braces unencoded) and
            // `?off=50%`, which nginx and Envoy pass and HTTP/2 clients got through already. The
            // query goes upstream byte for byte, and the upstream request writer refuses what a
            // request line cannot carry.
            .validatePrologue(false)
            .addReceiveListener(connections.requestHeads())
            .build();
    Http2Config http2 = settings.http2Limits().config(settings.maxHeaderSize());
    server
        .host(settings.bindAddress())
        .port(settings.port())
        .featuresDiscoverServices(false)
        .protocolsDiscoverServices(false)
        .directHandlers(DirectProblemHandler.all())
        .errorHandling(PARSER_MESSAGES)
        .shutdownHook(false)
        // Gateway.close() has drained already (up to TOLLGATE_DRAIN_TIMEOUT): what still runs when
        // the server stops is cut off, not waited for a second time (the pod's grace period is
        // sized for one drain)
        .shutdownGracePeriod(STOP_GRACE)
        .putSocket(
            ADMIN_SOCKET,
            socket ->
                socket
                    .host(settings.adminBindAddress())
                    .port(settings.adminPort())
                    .maxPayloadSize(ADMIN_MAX_BODY_BYTES)
                    .maxTcpConnections(ADMIN_MAX_CONNECTIONS)
                    .idleConnectionTimeout(settings.clientLimits().keepAliveTimeout()))
        .addFeature(
            ObserveFeature.builder()
                .observersDiscoverServices(false)
                .sockets(List.of(ADMIN_SOCKET))
                .addObserver(MetricsObserver.builder().endpoint("/metrics").build())
                .addObserver(
                    HealthObserver.builder()
                        .endpoint("/health")
                        .details(true)
                        .useSystemServices(false)
                        .addCheck(readiness)
                        .build())
                .build());
    connections.configure(server, http1, http2);
    https.ifPresent(
        tls ->
            server.putSocket(
                HTTPS_SOCKET,
                socket -> {
                  socket
                      .host(settings.bindAddress())
                      .port(settings.tls().orElseThrow().port())
                      .tls(tls)
                      .errorHandling(PARSER_MESSAGES); // not inherited, unlike the handlers
                  connections.configure(socket, http1, http2);
                  // the HandshakeGuard inside tls caps this listener's sockets instead (Helidon
                  // 4.3.0 loses a slot per failed handshake)
                  socket.maxTcpConnections(-1);
                }));
  }
}
