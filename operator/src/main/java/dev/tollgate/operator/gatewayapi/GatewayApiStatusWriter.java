package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.config.GatewayApiSettings;
import dev.tollgate.operator.snapshot.ClusterView;
import dev.tollgate.operator.status.DesiredCondition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the Gateway API status of what this operator serves, from the HTTPRoute resolutions of the
 * latest compilation: {@code Accepted} on its GatewayClasses; {@code Accepted}, {@code Programmed},
 * the address and every listener's conditions and attached-route count on their Gateways; on each
 * HTTPRoute, the {@code parents[]} entries of Tollgate's Gateways (entries of other controllers are
 * left as they are). A status is written only when it changes, keeping {@code lastTransitionTime}
 * while a condition's status stays; a write that loses a race is retried with the next compilation
 * (at the latest the 30 s full pass). Runs on a thread of its own, latest state wins.
 *
 * <p>The certificates of HTTPS listeners are judged on each pass ({@link ListenerCertificates}) and
 * the bundle the gateways mount is written first, so a listener says {@code Programmed=True} only
 * once its certificates are in the bundle. Compilations run on the leader only, so only the leader
 * writes the bundle.
 */
public final class GatewayApiStatusWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayApiStatusWriter.class);

  private final KubernetesClient client;
  private final ClusterView view;
  private final Listeners listeners;
  private final ListenerCertificates certificates;
  private final Optional<CertificateBundleWriter> bundle;
  private final GatewayApiSettings settings;
  private final Clock clock;
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
    this.client = client;
    this.view = view;
    this.listeners = listeners;
    this.certificates = new ListenerCertificates(view, listeners, bundle.isPresent());
    this.bundle = bundle;
    this.settings = settings;
    this.clock = clock;
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
    ListenerCertificates.Judgement judged = certificates.judge();
    Optional<String> unwritten = bundle.flatMap(b -> b.write(judged));
    ListenerCertificates.Judgement tls = unwritten.map(judged::unwritten).orElse(judged);
    Map<String, Map<String, Integer>> attached = new HashMap<>();
    resolutions.values().stream()
        .flatMap(r -> r.parents().stream())
        .forEach(
            p ->
                p.listeners()
                    .forEach(
                        l ->
                            attached
                                .computeIfAbsent(p.gateway(), g -> new HashMap<>())
                                .merge(l, 1, Integer::sum)));
    for (GatewayClass gatewayClass : view.gatewayClasses()) {
      if (gatewayClass.getSpec() != null
          && settings.controllerName().equals(gatewayClass.getSpec().getControllerName())) {
        writeClass(gatewayClass);
      }
    }
    for (Gateway gateway : view.gateways()) {
      if (listeners.ours(gateway)) {
        String key = gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
        writeGateway(gateway, attached.getOrDefault(key, Map.of()), tls);
      }
    }
    for (HTTPRoute route : view.httpRoutes()) {
      HttpRouteResolver.Resolution resolution =
          resolutions.get(route.getMetadata().getNamespace() + "/" + route.getMetadata().getName());
      // also when no parent is ours any more: our stale entries go
      if (resolution != null && (!resolution.parents().isEmpty() || hasOurParents(route))) {
        writeRoute(route, resolution);
      }
    }
  }

  private void writeClass(GatewayClass gatewayClass) {
    List<Condition> previous =
        gatewayClass.getStatus() == null ? List.of() : gatewayClass.getStatus().getConditions();
    List<Condition> conditions =
        conditions(
            previous,
            generation(gatewayClass),
            List.of(
                DesiredCondition.isTrue(
                    GatewayApiNames.ACCEPTED,
                    GatewayApiNames.REASON_ACCEPTED,
                    "served by " + settings.controllerName())));
    if (gatewayClass.getStatus() != null
        && conditions.equals(gatewayClass.getStatus().getConditions())) {
      return;
    }
    GatewayClass copy = copy(gatewayClass);
    GatewayClassStatus status =
        copy.getStatus() == null ? new GatewayClassStatus() : copy.getStatus();
    status.setConditions(conditions);
    copy.setStatus(status);
    update(copy);
  }

  private void writeGateway(
      Gateway gateway, Map<String, Integer> attached, ListenerCertificates.Judgement tls) {
    long generation = generation(gateway);
    GatewayStatus before = gateway.getStatus();
    Map<String, ListenerStatus> previousListeners = new HashMap<>();
    if (before != null && before.getListeners() != null) {
      before.getListeners().forEach(l -> previousListeners.put(l.getName(), l));
    }
    List<ListenerStatus> listenerStatuses = new ArrayList<>();
    boolean allValid = true;
    for (Listener listener :
        Optional.ofNullable(gateway.getSpec().getListeners()).orElse(List.of())) {
      Optional<DesiredCondition> invalid = listeners.invalid(listener);
      List<RouteGroupKind> invalidKinds = Listeners.invalidKinds(listener);
      ListenerCertificates.Verdict certificateVerdict = tls.of(gateway, listener);
      allValid &= invalid.isEmpty() && invalidKinds.isEmpty() && certificateVerdict.fine();
      List<DesiredCondition> desired = new ArrayList<>();
      desired.add(
          invalid.orElse(
              DesiredCondition.isTrue(
                  GatewayApiNames.ACCEPTED, GatewayApiNames.REASON_ACCEPTED, "listener accepted")));
      desired.add(
          invalid
              .map(
                  i ->
                      DesiredCondition.isFalse(GatewayApiNames.PROGRAMMED, i.reason(), i.message()))
              .or(certificateVerdict::programmed)
              .orElse(
                  DesiredCondition.isTrue(
                      GatewayApiNames.PROGRAMMED,
                      GatewayApiNames.REASON_PROGRAMMED,
                      "served by the gateway pods")));
      desired.add(
          certificateVerdict
              .resolvedRefs()
              .orElse(
                  invalidKinds.isEmpty()
                      ? DesiredCondition.isTrue(
                          GatewayApiNames.RESOLVED_REFS,
                          GatewayApiNames.REASON_RESOLVED_REFS,
                          "references resolved")
                      : DesiredCondition.isFalse(
                          GatewayApiNames.RESOLVED_REFS,
                          GatewayApiNames.INVALID_ROUTE_KINDS,
                          "only HTTPRoute can attach")));
      desired.add(
          DesiredCondition.isFalse(
              GatewayApiNames.CONFLICTED, GatewayApiNames.REASON_NO_CONFLICTS, "no conflicts"));
      ListenerStatus status = new ListenerStatus();
      status.setName(listener.getName());
      status.setAttachedRoutes(attached.getOrDefault(listener.getName(), 0));
      status.setSupportedKinds(
          Listeners.allowsHttpRoutes(listener) ? List.of(httpRouteKind()) : List.of());
      ListenerStatus previous = previousListeners.get(listener.getName());
      status.setConditions(
          conditions(previous == null ? List.of() : previous.getConditions(), generation, desired));
      listenerStatuses.add(status);
    }
    Optional<String> address = listeners.address();
    boolean staticAddresses =
        gateway.getSpec().getAddresses() != null && !gateway.getSpec().getAddresses().isEmpty();
    List<DesiredCondition> desired = new ArrayList<>();
    desired.add(
        staticAddresses
            ? DesiredCondition.isFalse(
                GatewayApiNames.ACCEPTED,
                GatewayApiNames.UNSUPPORTED_ADDRESS,
                "spec.addresses is not supported; the address is the gateway Service's")
            : allValid
                ? DesiredCondition.isTrue(
                    GatewayApiNames.ACCEPTED, GatewayApiNames.REASON_ACCEPTED, "gateway accepted")
                : DesiredCondition.isTrue(
                    GatewayApiNames.ACCEPTED,
                    GatewayApiNames.LISTENERS_NOT_VALID,
                    "some listeners are not valid; see status.listeners"));
    desired.add(
        address.isPresent() && !staticAddresses
            ? DesiredCondition.isTrue(
                GatewayApiNames.PROGRAMMED,
                GatewayApiNames.REASON_PROGRAMMED,
                "served by the gateway pods at " + address.get())
            : DesiredCondition.isFalse(
                GatewayApiNames.PROGRAMMED,
                GatewayApiNames.ADDRESS_NOT_ASSIGNED,
                settings.addressService().isEmpty()
                    ? "no gateway Service configured (TOLLGATE_GATEWAY_SERVICE)"
                    : "the gateway Service has no address yet"));
    GatewayStatus status = new GatewayStatus();
    status.setConditions(
        conditions(before == null ? List.of() : before.getConditions(), generation, desired));
    status.setListeners(listenerStatuses);
    status.setAddresses(
        address
            .map(
                a -> {
                  GatewayStatusAddress value = new GatewayStatusAddress();
                  value.setType(a.matches("[0-9a-fA-F.:]+") ? "IPAddress" : "Hostname");
                  value.setValue(a);
                  return List.of(value);
                })
            .orElse(List.of()));
    if (status.equals(before)) {
      return;
    }
    Gateway copy = copy(gateway);
    copy.setStatus(status);
    update(withEverySupportedKinds(copy));
  }

  /**
   * The Gateway as a generic resource whose every listener status has {@code supportedKinds}: the
   * model leaves an empty list out, the CRD requires the field, and a listener that allows only
   * kinds Tollgate cannot serve has none, so the API server would refuse the whole status (422).
   */
  @SuppressWarnings("unchecked")
  private GenericKubernetesResource withEverySupportedKinds(Gateway gateway) {
    GenericKubernetesResource generic =
        client.getKubernetesSerialization().convertValue(gateway, GenericKubernetesResource.class);
    if (generic.getAdditionalProperties().get("status") instanceof Map<?, ?> status
        && status.get("listeners") instanceof List<?> listenerStatuses) {
      for (Object listener : listenerStatuses) {
        ((Map<String, Object>) listener).putIfAbsent("supportedKinds", new ArrayList<>());
      }
    }
    return generic;
  }

  private void writeRoute(HTTPRoute route, HttpRouteResolver.Resolution resolution) {
    long generation = generation(route);
    List<RouteParentStatus> before =
        route.getStatus() == null || route.getStatus().getParents() == null
            ? List.of()
            : route.getStatus().getParents();
    List<RouteParentStatus> parents = new ArrayList<>();
    for (RouteParentStatus other : before) {
      if (!settings.controllerName().equals(other.getControllerName())) {
        parents.add(other);
      }
    }
    for (HttpRouteResolver.Parent parent : resolution.parents()) {
      List<Condition> previous =
          before.stream()
              .filter(p -> settings.controllerName().equals(p.getControllerName()))
              .filter(p -> Objects.equals(p.getParentRef(), parent.ref()))
              .findFirst()
              .map(RouteParentStatus::getConditions)
              .orElse(List.of());
      RouteParentStatus status = new RouteParentStatus();
      status.setControllerName(settings.controllerName());
      status.setParentRef(parent.ref());
      status.setConditions(
          conditions(previous, generation, List.of(parent.accepted(), parent.resolvedRefs())));
      parents.add(status);
    }
    if (parents.equals(before)) {
      return;
    }
    HTTPRoute copy = copy(route);
    HTTPRouteStatus status = new HTTPRouteStatus();
    status.setParents(parents);
    copy.setStatus(status);
    update(copy);
  }

  private boolean hasOurParents(HTTPRoute route) {
    return route.getStatus() != null
        && route.getStatus().getParents() != null
        && route.getStatus().getParents().stream()
            .anyMatch(p -> settings.controllerName().equals(p.getControllerName()));
  }

  private static RouteGroupKind httpRouteKind() {
    RouteGroupKind kind = new RouteGroupKind();
    kind.setGroup(GatewayApiNames.GROUP);
    kind.setKind(GatewayApiNames.HTTP_ROUTE);
    return kind;
  }

  /** Conditions in the Kubernetes convention, keeping the transition time of unchanged ones. */
  private List<Condition> conditions(
      List<Condition> previous, long generation, List<DesiredCondition> desired) {
    List<Condition> result = new ArrayList<>();
    for (DesiredCondition d : desired) {
      Optional<Condition> before =
          Optional.ofNullable(previous).orElse(List.of()).stream()
              .filter(c -> d.type().equals(c.getType()))
              .findFirst();
      String since =
          before
              .filter(b -> d.status().equals(b.getStatus()))
              .map(Condition::getLastTransitionTime)
              .orElse(
                  clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      result.add(
          new ConditionBuilder()
              .withType(d.type())
              .withStatus(d.status())
              .withReason(d.reason())
              .withMessage(d.message())
              .withObservedGeneration(generation)
              .withLastTransitionTime(since)
              .build());
    }
    return result;
  }

  private static long generation(HasMetadata resource) {
    return Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L);
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> T copy(T resource) {
    return (T) client.getKubernetesSerialization().clone(resource);
  }

  private void update(HasMetadata resource) {
    try {
      client.resource(resource).updateStatus();
    } catch (KubernetesClientException e) {
      // 409: the cached object is older than the stored one; the next compilation writes again.
      // Anything else is a status the API server refuses, which no later compilation changes.
      if (e.getCode() == 409) {
        LOG.debug(
            "status of {} {} not written: {}",
            resource.getKind(),
            resource.getMetadata().getName(),
            e.getMessage());
      } else {
        LOG.warn(
            "status of {} {} refused: {}",
            resource.getKind(),
            resource.getMetadata().getName(),
            e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
