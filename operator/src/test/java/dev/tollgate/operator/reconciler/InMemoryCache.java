package dev.tollgate.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A fixed list of resources with indexers, standing in for JOSDK's informer cache. */
public record InMemoryCache<T extends HasMetadata>(
    List<T> items, Map<String, Function<T, List<String>>> indexers)
    implements IndexedResourceCache<T> {

  @Override
  public List<T> byIndex(String indexName, String indexKey) {
    Function<T, List<String>> indexer = indexers.get(indexName);
    return items.stream().filter(i -> indexer.apply(i).contains(indexKey)).toList();
  }

  @Override
  public Stream<T> list(String namespace, Predicate<T> predicate) {
    return list(
        i -> Objects.equals(namespace, i.getMetadata().getNamespace()) && predicate.test(i));
  }

  @Override
  public Optional<T> get(ResourceID id) {
    return items.stream().filter(id::isSameResource).findFirst();
  }

  @Override
  public Stream<ResourceID> keys() {
    return items.stream().map(ResourceID::fromResource);
  }

  @Override
  public Stream<T> list(Predicate<T> predicate) {
    return items.stream().filter(predicate);
  }
}
