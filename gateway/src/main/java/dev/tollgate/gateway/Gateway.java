package dev.tollgate.gateway;

import dev.tollgate.gateway.admin.AdminTokenFilter;
import dev.tollgate.gateway.admin.ConfigView;
import dev.tollgate.gateway.admin.ReadinessCheck;
import dev.tollgate.gateway.backend.EndpointPools;
import dev.tollgate.gateway.config.ActiveConfig;
import dev.tollgate.gateway.config.ConfigApplier;
import dev.tollgate.gateway.config.ConfigCompiler;
import dev.tollgate.gateway.config.ConfigExtension;
import dev.tollgate.gateway.config.ConfigSource;
import dev.tollgate.gateway.edge.ClientConnections;
import dev.tollgate.gateway.grpc.GrpcChannels;
import dev.tollgate.gateway.grpc.GrpcProxy;
import dev.tollgate.gateway.metrics.GatewayMetrics;
import dev.tollgate.gateway.net.ClientAddressResolver;
import dev.tollgate.gateway.pipeline.GatewayHandler;
import dev.tollgate.gateway.pipeline.InFlightRequests;
import dev.tollgate.gateway.pipeline.RequestStage;
import dev.tollgate.gateway.proxy.TunnelConnections;
import dev.tollgate.gateway.proxy.UpstreamConnections;
import dev.tollgate.gateway.proxy.UpstreamProxy;
import dev.tollgate.gateway.proxy.UpstreamRequestHeaders;
import dev.tollgate.gateway.proxy.UpstreamUpgrade;
import dev.tollgate.gateway.proxy.http1.UpstreamConnector;
import dev.tollgate.gateway.tls.CertificateStore;
import dev.tollgate.gateway.tls.HandshakeGuard;
import dev.tollgate.gateway.tls.HttpsRedirect;
import dev.tollgate.gateway.tls.ServerTls;
import dev.tollgate.gateway.tls.TlsSettings;
import dev.tollgate.gateway.tls.UpstreamTls;
import dev.tollgate.gateway.websocket.WebSocketProxy;
import dev.tollgate.gateway.websocket.WebSocketTunnels;
import dev.tollgate.rules.Rulebook;
import io.helidon.common.tls.Tls;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.util.List;
import java.util.Optional;
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
  private final GrpcChannels grpcChannels;
  private final ClientConnections clients;
  private final Optional<CertificateStore> certificates;
  private final Optional<HandshakeGuard> handshakeGuard;
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
      GrpcChannels grpcChannels,
      ClientConnections clients,
      Optional<CertificateStore> certificates,
      Optional<HandshakeGuard> handshakeGuard,
      WebSocketTunnels webSockets,
      WebServer server,
      Observability observability) {
    this.settings = settings;
    this.active = active;
    this.source = source;
    this.inFlight = inFlight;
    this.draining = draining;
    this.connections = connections;
    this.grpcChannels = grpcChannels;
    this.clients = clients;
    this.certificates = certificates;
    this.handshakeGuard = handshakeGuard;
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
    // and so do certificates that cannot be served
    Optional<CertificateStore> certificates =
        settings.tls().map(tls -> CertificateStore.open(tls, metrics));
    Optional<HandshakeGuard> handshakeGuard =
        settings
            .tls()
            .map(
                tls ->
                    new HandshakeGuard(
                        tls.handshakeTimeout(),
                        ClientConnections.listenerSlots(settings.clientLimits()),
                        metrics));
    Optional<Tls> https =
        certificates.map(
            store ->
                ServerTls.create(
                    settings.tls().orElseThrow(), store, handshakeGuard.orElseThrow(), metrics));
    ActiveConfig active = new ActiveConfig();
    WebClient client = upstreamClient(settings);
    UpstreamConnections connections =
        new UpstreamConnections(
            new UpstreamConnector(
                settings.upstreamConnectTimeout(),
                UpstreamTls.context(settings.upstreamCaFile()),
                settings.maxHeaderSize()),
            settings.upstreamIdleTimeout(),
            settings.upstreamPoolSize());
    GrpcChannels grpcChannels =
        new GrpcChannels(
            settings.upstreamConnectTimeout(),
            settings.upstreamIdleTimeout(),
            settings.maxHeaderSize(),
            settings.upstreamCaFile());
    EndpointPools pools =
        new EndpointPools(
            metrics,
            endpoints -> {
              connections.retainOnly(endpoints);
              grpcChannels.retainOnly(endpoints);
            });
    ConfigApplier applier =
        new ConfigApplier(
            active, new ConfigCompiler(Rulebook.standard(), pools, extensions), pools, metrics);
    source.start(applier);
    metrics.liveGateways(source::liveGateways);

    InFlightRequests inFlight = new InFlightRequests();
    metrics.requestsInFlight(inFlight::count);
    AtomicBoolean draining = new AtomicBoolean();
    WebSocketTunnels webSockets =
        new WebSocketTunnels(
            settings.webSockets(),
            metrics,
            connection -> handshakeGuard.flatMap(guard -> guard.socketOf(connection)));
    GatewayHandler handler =
        new GatewayHandler(
            active,
            policyStages,
            new UpstreamProxy(
                connections,
                metrics,
                settings.clientLimits().underscoreHeaders(),
                settings.clientLimits().bodyTimeout(),
                observability.tracing(),
                new GrpcProxy(
                    grpcChannels,
                    metrics,
                    new UpstreamRequestHeaders(settings.clientLimits().underscoreHeaders())::copy)),
            new WebSocketProxy(
                new UpstreamUpgrade(
                    new TunnelConnections(client),
                    metrics,
                    settings.clientLimits().underscoreHeaders(),
                    observability.tracing()),
                webSockets,
                metrics),
            metrics,
            new ClientAddressResolver(settings.trustedProxies()),
            inFlight,
            settings.clientLimits(),
            settings.maxHeaderSize(),
            observability.tracing(),
            observability.requestLog());
    ClientConnections clients = new ClientConnections(settings.clientLimits(), metrics);
    ReadinessCheck readiness = new ReadinessCheck(active::isLoaded, draining::get);
    Handler plain =
        settings
            .tls()
            .filter(TlsSettings::redirect)
            .<Handler>map(tls -> new HttpsRedirect(tls.redirectPort()))
            .orElse(handler);
    WebServer server =
        WebServer.create(
            builder -> {
              GatewayServer.setup(builder, settings, readiness, clients, https);
              builder.routing(routing -> GatewayRouting.routing(routing, plain));
              if (https.isPresent()) {
                builder.routing(
                    GatewayServer.HTTPS_SOCKET,
                    routing -> GatewayRouting.routing(routing, handler));
              }
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
            grpcChannels,
            clients,
            certificates,
            handshakeGuard,
            webSockets,
            server,
            observability);
    LOG.info(
        "Tollgate gateway listening on {}:{}{} (admin {}:{}), config from {}",
        settings.bindAddress(),
        String.valueOf(gateway.port()),
        https.isPresent() ? " and HTTPS " + gateway.httpsPort() : "",
        settings.adminBindAddress(),
        String.valueOf(gateway.adminPort()),
        source.description());
    return gateway;
  }

  private static WebClient upstreamClient(GatewaySettings settings) {
    WebClientConfig.Builder client =
        WebClient.builder()
            .connectTimeout(settings.upstreamConnectTimeout())
            .followRedirects(false)
            .sendExpectContinue(false)
            .servicesDiscoverServices(false);
    settings.upstreamCaFile().ifPresent(file -> client.tls(UpstreamTls.trusting(file)));
    return client.build();
  }

  public int port() {
    return server.port();
  }

  /** The HTTPS port; -1 when no HTTPS listener is configured. */
  public int httpsPort() {
    return certificates.isPresent() ? server.port(GatewayServer.HTTPS_SOCKET) : -1;
  }

  public int adminPort() {
    return server.port(GatewayServer.ADMIN_SOCKET);
  }

  public ActiveConfig config() {
    return active;
  }

  /**
   * Requests being handled (on HTTP/2, streams), as {@code tollgate_requests_in_flight} exports it;
   * read here because that gauge belongs to the JVM's first gateway when tests run several.
   */
  public int requestsInFlight() {
    return inFlight.count();
  }

  /** Client connections counted against the cap, as {@code tollgate_client_connections}. */
  public int clientConnections() {
    return clients.admittedCount();
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
    certificates.ifPresent(CertificateStore::close);
    handshakeGuard.ifPresent(HandshakeGuard::close);
    source.close();
    connections.close();
    grpcChannels.close();
    observability.close();
  }
}
