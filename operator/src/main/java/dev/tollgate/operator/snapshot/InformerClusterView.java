package dev.tollgate.operator.snapshot;

import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
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
import java.util.function.Function;

/**
 * Informers for the four kinds the snapshot is made of, with a callback on every relevant change.
 * They are the snapshot's own (separate from the reconcilers' JOSDK caches) because the snapshot
 * must also react to deletions, which JOSDK does not reconcile without finalizers, and because they
 * run on every replica: a new leader starts with warm caches and writes at once.
 *
 * <p>Route and policy updates trigger only when {@code metadata.generation} changes, so the
 * operator's own status patches do not cause compilations.
 */
public final class InformerClusterView implements ClusterView, AutoCloseable {
  private static final String BY_SERVICE = "by-service";
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

  private final List<SharedIndexInformer<Route>> routes = new ArrayList<>();
  private final List<SharedIndexInformer<RateLimitPolicy>> policies = new ArrayList<>();
  private final List<SharedIndexInformer<Service>> services = new ArrayList<>();
  private final List<SharedIndexInformer<EndpointSlice>> slices = new ArrayList<>();

  /**
   * @param namespaces empty = all namespaces
   */
  private volatile Runnable onChange = () -> {};

  public InformerClusterView(KubernetesClient client, Set<String> namespaces) {
    Runnable onChange = () -> this.onChange.run();
    for (Optional<String> namespace : scopes(namespaces)) {
      routes.add(
          informer(in(client.resources(Route.class), namespace), specChanges(onChange), Map.of()));
      policies.add(
          informer(
              in(client.resources(RateLimitPolicy.class), namespace),
              specChanges(onChange),
              Map.of()));
      services.add(informer(in(client.services(), namespace), anyChange(onChange), Map.of()));
      slices.add(
          informer(
              in(client.discovery().v1().endpointSlices(), namespace).withLabel(SERVICE_NAME_LABEL),
              anyChange(onChange),
              Map.of(BY_SERVICE, InformerClusterView::serviceKeyOfSlice)));
    }
  }

  /**
   * Starts all informers and waits until their caches hold a full listing.
   *
   * @param onChange called (on an informer thread) after every relevant change
   */
  public void start(Runnable onChange) {
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
  public void close() {
    all().forEach(SharedIndexInformer::close);
  }

  private List<SharedIndexInformer<?>> all() {
    List<SharedIndexInformer<?>> all = new ArrayList<>();
    all.addAll(routes);
    all.addAll(policies);
    all.addAll(services);
    all.addAll(slices);
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

  private static <T extends HasMetadata> ResourceEventHandler<T> specChanges(Runnable onChange) {
    return changes(
        onChange, (before, after) -> !Objects.equals(generation(before), generation(after)));
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> anyChange(Runnable onChange) {
    // Resyncs deliver updates with the same resourceVersion: nothing changed.
    return changes(onChange, (before, after) -> !Objects.equals(version(before), version(after)));
  }

  private static <T extends HasMetadata> ResourceEventHandler<T> changes(
      Runnable onChange, BiPredicate<T, T> relevantUpdate) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T resource) {
        onChange.run();
      }

      @Override
      public void onUpdate(T before, T after) {
        if (relevantUpdate.test(before, after)) {
          onChange.run();
        }
      }

      @Override
      public void onDelete(T resource, boolean finalStateUnknown) {
        onChange.run();
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
