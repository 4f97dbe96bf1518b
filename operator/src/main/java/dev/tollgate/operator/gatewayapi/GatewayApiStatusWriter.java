package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.cluster.ClusterView;
import dev.tollgate.operator.config.GatewayApiSettings;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the Gateway API status of what this operator serves, from the HTTPRoute resolutions of the
 * latest compilation: {@code Accepted} on its GatewayClasses ({@link GatewayClassStatusWriter});
 * {@code Accepted}, {@code Programmed}, the address and every listener's conditions and
 * attached-route count on their Gateways ({@link GatewayStatusWriter}); on each HTTPRoute, the
 * {@code parents[]} entries of Tollgate's Gateways ({@link HttpRouteStatusWriter}). A status is
 * written only when it changes, keeping {@code lastTransitionTime} while a condition's status
 * stays; a write that loses a race is retried with the next compilation (at the latest the 30 s
 * full pass). Runs on a thread of its own, latest state wins.
 *
 * <p>The certificates of HTTPS listeners are judged on each pass ({@link ListenerCertificates}) and
 * the bundle the gateways mount is written first, so a listener says {@code Programmed=True} only
 * once its certificates are in the bundle. Compilations run on the leader only, so only the leader
 * writes the bundle.
 */
public final class GatewayApiStatusWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayApiStatusWriter.class);

  private final ClusterView view;
  private final Listeners listeners;
  private final ListenerCertificates certificates;
  private final Optional<CertificateBundleWriter> bundle;
  private final GatewayClassStatusWriter classes;
  private final GatewayStatusWriter gateways;
  private final HttpRouteStatusWriter routes;
  private final AtomicReference<Map<String, HttpRouteResolver.Resolution>> pending =
      new AtomicReference<>();
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().name("tollgate-gateway-api-status").daemon().unstarted(r));

  public GatewayApiStatusWriter(
      KubernetesClient client,
      ClusterView view,
      Listeners listeners,
      Optional<CertificateBundleWriter> bundle,
      GatewayApiSettings settings,
      Clock clock) {
    this.view = view;
    this.listeners = listeners;
    this.certificates = new ListenerCertificates(view, listeners, bundle.isPresent());
    this.bundle = bundle;
    GatewayApiConditions conditions = new GatewayApiConditions(clock);
    StatusUpdates updates = new StatusUpdates(client);
    this.classes = new GatewayClassStatusWriter(settings, conditions, updates);
    this.gateways = new GatewayStatusWriter(listeners, settings, conditions, updates);
    this.routes = new HttpRouteStatusWriter(settings, conditions, updates);
  }

  /**
   * Publishes the statuses that follow from these resolutions (by {@code namespace/name}); returns
   * at once.
   */
  public void publish(Map<String, HttpRouteResolver.Resolution> resolutions) {
    if (pending.getAndSet(Map.copyOf(resolutions)) == null) {
      worker.execute(this::writeLatest);
    }
  }

  private void writeLatest() {
    Map<String, HttpRouteResolver.Resolution> resolutions = pending.getAndSet(null);
    if (resolutions == null) {
      return;
    }
    try {
      write(resolutions);
    } catch (RuntimeException e) {
      LOG.warn(
          "Gateway API status not written (retried with the next compilation): {}", e.toString());
    }
  }

  /** Writes every status now, on the caller's thread. */
  void write(Map<String, HttpRouteResolver.Resolution> resolutions) {
    ListenerCertificates.Judgement judged =
        certificates.judge(bundle.map(CertificateBundleWriter::held).orElse(Set.of()));
    Optional<String> unwritten = bundle.flatMap(b -> b.write(judged));
    ListenerCertificates.Judgement tls = unwritten.map(judged::unwritten).orElse(judged);
    AttachedRoutes attached = AttachedRoutes.count(resolutions.values());
    for (GatewayClass gatewayClass : view.gatewayClasses()) {
      if (classes.ours(gatewayClass)) {
        classes.write(gatewayClass);
      }
    }
    for (Gateway gateway : view.gateways()) {
      if (listeners.ours(gateway)) {
        gateways.write(gateway, attached.of(gateway), tls);
      }
    }
    for (HTTPRoute route : view.httpRoutes()) {
      HttpRouteResolver.Resolution resolution =
          resolutions.get(route.getMetadata().getNamespace() + "/" + route.getMetadata().getName());
      if (resolution != null && routes.concerns(route, resolution)) {
        routes.write(route, resolution);
      }
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
