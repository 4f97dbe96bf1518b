package dev.tollgate.gateway;

import dev.tollgate.gateway.admin.AdminTokenFilter;
import dev.tollgate.gateway.admin.ConfigView;
import dev.tollgate.gateway.admin.ReadinessCheck;
import dev.tollgate.gateway.config.ActiveConfig;
import dev.tollgate.gateway.config.ConfigApplier;
import dev.tollgate.gateway.config.ConfigCompiler;
import dev.tollgate.gateway.config.ConfigExtension;
import dev.tollgate.gateway.config.ConfigSource;
import dev.tollgate.gateway.edge.ClientConnections;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.net.ClientAddressResolver;
import dev.tollgate.gateway.pipeline.GatewayHandler;
import dev.tollgate.gateway.pipeline.InFlightRequests;
import dev.tollgate.gateway.pipeline.RequestStage;
import dev.tollgate.gateway.proxy.EndpointPools;
import dev.tollgate.gateway.proxy.UpstreamConnections;
import dev.tollgate.gateway.proxy.UpstreamProxy;
import dev.tollgate.gateway.proxy.UpstreamUpgrade;
import dev.tollgate.gateway.websocket.WebSocketProxy;
import dev.tollgate.gateway.websocket.WebSocketTunnels;
import dev.tollgate.rules.Rulebook;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: config source, compiled configuration, upstream client and the WebServer
 * with its public and admin sockets. {@link #close()} drains: readiness turns false, in-flight
 * requests get up to {@code TOLLGATE_DRAIN_TIMEOUT} to finish, then open WebSockets are closed and
 * the server stops.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final GatewaySettings settings;
  private final ActiveConfig active;
  private final ConfigSource source;
  private final InFlightRequests inFlight;
  private final AtomicBoolean draining;
  private final UpstreamConnections connections;
  private final ClientConnections clients;
  private final WebSocketTunnels webSockets;
  private final WebServer server;
  private final Observability observability;

  private Gateway(
      GatewaySettings settings,
      ActiveConfig active,
      ConfigSource source,
      InFlightRequests inFlight,
      AtomicBoolean draining,
      UpstreamConnections connections,
      ClientConnections clients,
      WebSocketTunnels webSockets,
      WebServer server,
      Observability observability) {
    this.settings = settings;
    this.active = active;
    this.source = source;
    this.inFlight = inFlight;
    this.draining = draining;
    this.connections = connections;
    this.clients = clients;
    this.webSockets = webSockets;
    this.server = server;
    this.observability = observability;
  }

  /**
   * Loads the configuration (the gateway starts unready if it cannot) and starts both sockets.
   *
   * @param policyStages stages between route match and proxy (authentication, rate limiting)
   * @param extensions compilers for the parts of the snapshot those stages need
   */
  public static Gateway start(
      GatewaySettings settings,
      ConfigSource source,
      List<RequestStage> policyStages,
      List<ConfigExtension<?>> extensions) {
    return start(settings, source, policyStages, extensions, (routing, active) -> {});
  }

  /**
   * As {@link #start(GatewaySettings, ConfigSource, List, List)}, plus admin endpoints of the
   * policy stages (e.g. {@code POST /admin/explain}), registered on the admin socket only.
   */
  public static Gateway start(
      GatewaySettings settings,
      ConfigSource source,
      List<RequestStage> policyStages,
      List<ConfigExtension<?>> extensions,
      BiConsumer<HttpRouting.Builder, ActiveConfig> adminRoutes) {
    return start(
        settings,
        source,
        policyStages,
        extensions,
        adminRoutes,
        Observability.from(settings, System.getenv()));
  }

  /**
   * As {@link #start(GatewaySettings, ConfigSource, List, List, BiConsumer)}, with the given
   * tracing and access recording (closed with the gateway).
   */
  public static Gateway start(
      GatewaySettings settings,
      ConfigSource source,
      List<RequestStage> policyStages,
      List<ConfigExtension<?>> extensions,
      BiConsumer<HttpRouting.Builder, ActiveConfig> adminRoutes,
      Observability observability) {
    GatewayMetrics metrics = new GatewayMetrics();
    // read before anything starts, so a bad token file stops the gateway at once
    var adminToken = settings.adminTokenFile().map(AdminTokenFilter::fromFile);
    ActiveConfig active = new ActiveConfig();
    WebClient client = upstreamClient(settings);
    UpstreamConnections connections =
        new UpstreamConnections(
            client, settings.upstreamIdleTimeout(), settings.upstreamPoolSize());
    EndpointPools pools = new EndpointPools(metrics, connections::retainOnly);
    ConfigApplier applier =
        new ConfigApplier(
            active, new ConfigCompiler(Rulebook.standard(), pools, extensions), pools, metrics);
    source.start(applier);
    metrics.liveGateways(source::liveGateways);

    InFlightRequests inFlight = new InFlightRequests();
    AtomicBoolean draining = new AtomicBoolean();
    Http1Client http1 = client.client(Http1Client.PROTOCOL);
    WebSocketTunnels webSockets = new WebSocketTunnels(settings.webSockets(), metrics);
    GatewayHandler handler =
        new GatewayHandler(
            active,
            policyStages,
            new UpstreamProxy(
                http1,
                connections,
                metrics,
                settings.clientLimits().underscoreHeaders(),
                settings.clientLimits().bodyTimeout(),
                observability.tracing()),
            new WebSocketProxy(
                new UpstreamUpgrade(
                    http1,
                    connections,
                    metrics,
                    settings.clientLimits().underscoreHeaders(),
                    observability.tracing()),
                webSockets,
                metrics),
            metrics,
            new ClientAddressResolver(settings.trustedProxies()),
            inFlight,
            settings.clientLimits(),
            observability.tracing(),
            observability.requestLog());
    ClientConnections clients = new ClientConnections(settings.clientLimits(), metrics);
    ReadinessCheck readiness = new ReadinessCheck(active::isLoaded, draining::get);
    WebServer server =
        WebServer.create(
            builder -> {
              GatewayServer.setup(builder, settings, readiness, clients);
              builder.routing(routing -> GatewayRouting.routing(routing, handler));
              builder.routing(
                  GatewayServer.ADMIN_SOCKET,
                  routing -> {
                    adminToken.ifPresent(routing::addFilter);
                    GatewayRouting.adminRouting(routing, new ConfigView(active));
                    adminRoutes.accept(routing, active);
                  });
            });
    server.start();
    Gateway gateway =
        new Gateway(
            settings,
            active,
            source,
            inFlight,
            draining,
            connections,
            clients,
            webSockets,
            server,
            observability);
    LOG.info(
        "Tollgate gateway listening on {}:{} (admin {}:{}), config from {}",
        settings.bindAddress(),
        String.valueOf(gateway.port()),
        settings.adminBindAddress(),
        String.valueOf(gateway.adminPort()),
        source.description());
    return gateway;
  }

  private static WebClient upstreamClient(GatewaySettings settings) {
    return WebClient.builder()
        .connectTimeout(settings.upstreamConnectTimeout())
        .followRedirects(false)
        .sendExpectContinue(false)
        .servicesDiscoverServices(false)
        .build();
  }

  public int port() {
    return server.port();
  }

  public int adminPort() {
    return server.port(GatewayServer.ADMIN_SOCKET);
  }

  public ActiveConfig config() {
    return active;
  }

  /** Gateways of this instance last counted live by the config source (0 = not known). */
  public int liveGateways() {
    return source.liveGateways();
  }

  public boolean isRunning() {
    return server.isRunning();
  }

  @Override
  public void close() {
    if (!draining.compareAndSet(false, true)) {
      return;
    }
    try {
      if (!inFlight.awaitIdle(settings.drainTimeout())) {
        LOG.warn("Drain timeout: {} requests still in flight", inFlight.count());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // WebSockets are not requests in flight (they may stay open for hours): they end here
    webSockets.close();
    server.stop();
    clients.close();
    source.close();
    connections.close();
    observability.close();
  }
}
