package dev.tollgate.operator.cluster;

import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Informers for the kinds the snapshot is made of (and, with the Gateway API, the kinds HTTPRoutes
 * attach through), with a callback on every relevant change that says what changed ({@link
 * ClusterChange}), so the compiler recompiles only that. They are the snapshot's own (separate from
 * the reconcilers' JOSDK caches) because the snapshot must also react to deletions, which JOSDK
 * does not reconcile without finalizers, and because they run on every replica: a new leader starts
 * with warm caches and writes at once.
 *
 * <p>Route and policy updates trigger only when {@code metadata.generation} changes, so the
 * operator's own status patches do not cause compilations.
 */
public final class InformerClusterView implements ClusterView, AutoCloseable {
  private static final String BY_SERVICE = "by-service";
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

  /** The Secret type HTTPS listeners may use; the API server filters by it (field selector). */
  private static final String TLS_SECRET_TYPE = "kubernetes.io/tls";

  private final List<SharedIndexInformer<Route>> routes = new ArrayList<>();
  private final List<SharedIndexInformer<RateLimitPolicy>> policies = new ArrayList<>();
  private final List<SharedIndexInformer<Service>> services = new ArrayList<>();
  private final List<SharedIndexInformer<EndpointSlice>> slices = new ArrayList<>();
  private final List<SharedIndexInformer<HTTPRoute>> httpRoutes = new ArrayList<>();
  private final List<SharedIndexInformer<Gateway>> gateways = new ArrayList<>();
  private final List<SharedIndexInformer<ReferenceGrant>> grants = new ArrayList<>();
  private final List<SharedIndexInformer<GatewayClass>> classes = new ArrayList<>();
  private final List<SharedIndexInformer<Namespace>> namespaces = new ArrayList<>();
  private final List<SharedIndexInformer<Secret>> tlsSecrets = new ArrayList<>();
  private final boolean gatewayApi;

  private volatile Consumer<ClusterChange> onChange = change -> {};

  /**
   * @param namespaces empty = all namespaces
   * @param gatewayApi also watch GatewayClasses, Gateways, HTTPRoutes, ReferenceGrants and
   *     Namespaces (only where the Gateway API CRDs are installed)
   * @param tlsSecrets also watch Secrets of type {@code kubernetes.io/tls} (HTTPS listener
   *     certificates; with the Gateway API only): the field selector keeps every other Secret out
   *     of the cache
   */
  public InformerClusterView(
      KubernetesClient client, Set<String> namespaces, boolean gatewayApi, boolean tlsSecrets) {
    this(client, namespaces, gatewayApi, tlsSecrets, Optional.empty());
  }

  /**
   * As above, and with the Service whose address the Gateways report ({@code namespace/name}):
   * where its namespace is not watched (the chart installs it in the release namespace, which
   * {@code operator.watchNamespaces} rarely lists), that one Service is watched on its own, so
   * Gateways get an address there too. Its field selector lets a Role that names the Service allow
   * the watch.
   */
  public InformerClusterView(
      KubernetesClient client,
      Set<String> namespaces,
      boolean gatewayApi,
      boolean tlsSecrets,
      Optional<ServiceKey> addressService) {
    this.gatewayApi = gatewayApi;
    Consumer<ClusterChange> onChange = change -> this.onChange.accept(change);
    if (gatewayApi) {
      classes.add(
          informer(
              client.resources(GatewayClass.class),
              anyChange(onChange, ClusterChange.Kind.GATEWAY_API, InformerClusterView::name),
              Map.of()));
      this.namespaces.add(
          informer(
              client.namespaces(),
              anyChange(onChange, ClusterChange.Kind.GATEWAY_API, InformerClusterView::name),
              Map.of()));
    }
    for (Optional<String> namespace : scopes(namespaces)) {
      if (gatewayApi) {
        httpRoutes.add(
            informer(
                in(client.resources(HTTPRoute.class), namespace),
                specChanges(onChange, ClusterChange.Kind.HTTP_ROUTE, InformerClusterView::name),
                Map.of()));
        gateways.add(
            informer(
                in(client.resources(Gateway.class), namespace),
                specChanges(onChange, ClusterChange.Kind.GATEWAY_API, InformerClusterView::name),
                Map.of()));
        grants.add(
            informer(
                in(client.resources(ReferenceGrant.class), namespace),
                anyChange(onChange, ClusterChange.Kind.GATEWAY_API, InformerClusterView::name),
                Map.of()));
        if (tlsSecrets) {
          this.tlsSecrets.add(
              informer(
                  in(client.secrets(), namespace).withField("type", TLS_SECRET_TYPE),
                  anyChange(
                      onChange, ClusterChange.Kind.LISTENER_CERTIFICATE, InformerClusterView::name),
                  Map.of()));
        }
      }
      routes.add(
          informer(
              in(client.resources(Route.class), namespace),
              specChanges(onChange, ClusterChange.Kind.ROUTE, InformerClusterView::name),
              Map.of()));
      policies.add(
          informer(
              in(client.resources(RateLimitPolicy.class), namespace),
              specChanges(onChange, ClusterChange.Kind.POLICY, InformerClusterView::name),
              Map.of()));
      services.add(
          informer(
              in(client.services(), namespace),
              anyChange(onChange, ClusterChange.Kind.SERVICE, InformerClusterView::name),
              Map.of()));
      slices.add(
          informer(
              in(client.discovery().v1().endpointSlices(), namespace).withLabel(SERVICE_NAME_LABEL),
              anyChange(onChange, ClusterChange.Kind.SERVICE, InformerClusterView::serviceOfSlice),
              Map.of(BY_SERVICE, InformerClusterView::serviceKeyOfSlice)));
    }
    if (gatewayApi && !namespaces.isEmpty()) {
      addressService
          .filter(service -> !namespaces.contains(service.namespace()))
          .ifPresent(
              service ->
                  services.add(
                      informer(
                          client
                              .services()
                              .inNamespace(service.namespace())
                              .withField("metadata.name", service.name()),
                          anyChange(
                              onChange, ClusterChange.Kind.SERVICE, InformerClusterView::name),
                          Map.of())));
    }
  }

  /** A Service by namespace and name. */
  public record ServiceKey(String namespace, String name) {}

  /**
   * Starts all informers and waits until their caches hold a full listing.
   *
   * @param onChange called (on an informer thread) after every relevant change
   */
  public void start(Consumer<ClusterChange> onChange) {
    this.onChange = onChange;
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (SharedIndexInformer<?> informer : all()) {
      started.add(informer.start().toCompletableFuture());
    }
    try {
      CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
          .get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("informer caches did not sync in " + SYNC_TIMEOUT, e);
    }
  }

  public boolean synced() {
    return all().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public List<Route> routes() {
    return list(routes);
  }

  @Override
  public List<RateLimitPolicy> policies() {
    return list(policies);
  }

  @Override
  public Optional<Route> route(String namespace, String name) {
    return byKey(routes, namespace, name);
  }

  @Override
  public Optional<RateLimitPolicy> policy(String namespace, String name) {
    return byKey(policies, namespace, name);
  }

  @Override
  public Optional<Service> service(String namespace, String name) {
    return services.stream()
        .map(i -> i.getIndexer().getByKey(namespace + "/" + name))
        .filter(Objects::nonNull)
        .findFirst();
  }

  @Override
  public List<EndpointSlice> endpointSlices(String namespace, String serviceName) {
    List<EndpointSlice> result = new ArrayList<>();
    slices.forEach(
        i -> result.addAll(i.getIndexer().byIndex(BY_SERVICE, namespace + "/" + serviceName)));
    return result;
  }

  @Override
  public boolean gatewayApi() {
    return gatewayApi;
  }

  @Override
  public List<HTTPRoute> httpRoutes() {
    return list(httpRoutes);
  }

  @Override
  public Optional<HTTPRoute> httpRoute(String namespace, String name) {
    return byKey(httpRoutes, namespace, name);
  }

  @Override
  public List<Gateway> gateways() {
    return list(gateways);
  }

  @Override
  public Optional<Gateway> gateway(String namespace, String name) {
    return byKey(gateways, namespace, name);
  }

  @Override
  public Optional<GatewayClass> gatewayClass(String name) {
    return classes.stream()
        .map(i -> i.getIndexer().getByKey(name))
        .filter(Objects::nonNull)
        .findFirst();
  }

  @Override
  public List<GatewayClass> gatewayClasses() {
    return list(classes);
  }

  @Override
  public List<ReferenceGrant> referenceGrants(String namespace) {
    return list(grants).stream()
        .filter(g -> namespace.equals(g.getMetadata().getNamespace()))
        .toList();
  }

  @Override
  public Optional<Secret> tlsSecret(String namespace, String name) {
    return byKey(tlsSecrets, namespace, name);
  }

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    return namespaces.stream()
        .map(i -> i.getIndexer().getByKey(namespace))
        .filter(Objects::nonNull)
        .map(n -> n.getMetadata().getLabels())
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(Map.of());
  }

  @Override
  public void close() {
    all().forEach(SharedIndexInformer::close);
  }

  private List<SharedIndexInformer<?>> all() {
    List<SharedIndexInformer<?>> all = new ArrayList<>();
    all.addAll(routes);
    all.addAll(policies);
    all.addAll(services);
    all.addAll(slices);
    all.addAll(httpRoutes);
    all.addAll(gateways);
    all.addAll(grants);
    all.addAll(classes);
    all.addAll(namespaces);
    all.addAll(tlsSecrets);
    return all;
  }

  private static List<Optional<String>> scopes(Set<String> namespaces) {
    return namespaces.isEmpty()
        ? List.of(Optional.empty())
        : namespaces.stream().sorted().map(Optional::of).toList();
  }

  private static <T extends HasMetadata, L extends KubernetesResourceList<T>>
      FilterWatchListDeletable<T, L, ? extends Resource<T>> in(
          MixedOperation<T, L, ? extends Resource<T>> operation, Optional<String> namespace) {
    return namespace.isPresent()
        ? operation.inNamespace(namespace.get())
        : operation.inAnyNamespace();
  }

  private static <T extends HasMetadata> SharedIndexInformer<T> informer(
      FilterWatchListDeletable<T, ?, ?> source,
      ResourceEventHandler<T> handler,
      Map<String, Function<T, List<String>>> indexers) {
    SharedIndexInformer<T> informer = source.runnableInformer(0);
    if (!indexers.isEmpty()) {
      informer.addIndexers(indexers);
    }
    informer.addEventHandler(handler);
    return informer;
  }

  private static <T> Optional<T> byKey(
      List<SharedIndexInformer<T>> informers, String namespace, String name) {
    return informers.stream()
        .map(i -> i.getIndexer().getByKey(namespace + "/" + name))
        .filter(Objects::nonNull)
        .findFirst();
  }

  private static String name(HasMetadata resource) {
    return resource.getMetadata().getName();
  }

  /** The Service an EndpointSlice belongs to (its label), or the slice's own name without one. */
  private static String serviceOfSlice(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    return service == null ? slice.getMetadata().getName() : service;
  }

  private static List<String> serviceKeyOfSlice(EndpointSlice slice) {
    String service = slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
    return service == null
        ? List.of()
        : List.of(slice.getMetadata().getNamespace() + "/" + service);
  }

  private static <T> List<T> list(List<SharedIndexInformer<T>> informers) {
    List<T> result = new ArrayList<>();
    informers.forEach(i -> result.addAll(i.getStore().list()));
    return result;
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> specChanges(
      Consumer<ClusterChange> onChange, ClusterChange.Kind kind, Function<T, String> name) {
    return changes(
        onChange,
        kind,
        name,
        (before, after) -> !Objects.equals(generation(before), generation(after)));
  }

  /**
   * A Service or EndpointSlice (the Routes of the Service resolve anew), or a kind HTTPRoutes
   * attach through: any change of the object counts, not only of its spec.
   */
  private static <T extends HasMetadata> ResourceEventHandler<T> anyChange(
      Consumer<ClusterChange> onChange, ClusterChange.Kind kind, Function<T, String> name) {
    // Resyncs deliver updates with the same resourceVersion: nothing changed.
    return changes(
        onChange, kind, name, (before, after) -> !Objects.equals(version(before), version(after)));
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> changes(
      Consumer<ClusterChange> onChange,
      ClusterChange.Kind kind,
      Function<T, String> name,
      BiPredicate<T, T> relevantUpdate) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T resource) {
        onChange.accept(change(resource));
      }

      @Override
      public void onUpdate(T before, T after) {
        if (relevantUpdate.test(before, after)) {
          onChange.accept(change(after));
        }
      }

      @Override
      public void onDelete(T resource, boolean finalStateUnknown) {
        onChange.accept(change(resource));
      }

      private ClusterChange change(T resource) {
        return new ClusterChange(kind, resource.getMetadata().getNamespace(), name.apply(resource));
      }
    };
  }

  private static Long generation(HasMetadata resource) {
    return resource.getMetadata().getGeneration();
  }

  private static String version(HasMetadata resource) {
    return resource.getMetadata().getResourceVersion();
  }
}
