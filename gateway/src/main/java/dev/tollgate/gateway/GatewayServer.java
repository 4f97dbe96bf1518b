package dev.tollgate.gateway;

import dev.tollgate.gateway.admin.ReadinessCheck;
import dev.tollgate.gateway.problem.DirectProblemHandler;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.util.List;

/** Socket and feature setup of the WebServer; reused by tests with their own routings. */
public final class GatewayServer {
  /** Name of the admin socket. */
  public static final String ADMIN_SOCKET = "admin";

  private GatewayServer() {}

  /**
   * Public socket (default) and {@value #ADMIN_SOCKET} socket with metrics and health. Feature
   * discovery is off: Helidon would otherwise attach every feature on the class path to every
   * socket, putting {@code /observe/*} on the public port.
   */
  public static void setup(
      WebServerConfig.Builder server, GatewaySettings settings, ReadinessCheck readiness) {
    server
        .host(settings.bindAddress())
        .port(settings.port())
        .featuresDiscoverServices(false)
        .protocolsDiscoverServices(false)
        .addProtocol(
            Http1Config.builder()
                .maxHeadersSize(settings.maxHeaderSize())
                .maxPrologueLength(settings.maxRequestLine())
                .validateRequestHeaders(true)
                .validateRequestHostHeader(true)
                .validatePath(true)
                .build())
        .directHandlers(DirectProblemHandler.all())
        .shutdownHook(false)
        .shutdownGracePeriod(settings.drainTimeout())
        .putSocket(
            ADMIN_SOCKET, socket -> socket.host(settings.bindAddress()).port(settings.adminPort()))
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
  }
}
