package dev.tollgate.e2e.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The objects of one rendered chart, parsed into fabric8 model classes (kinds fabric8 does not
 * know, like ServiceMonitor, become {@code GenericKubernetesResource}).
 */
record RenderedManifest(String yaml, List<HasMetadata> objects) {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  static RenderedManifest parse(String yaml) {
    List<HasMetadata> objects =
        DOCUMENT_SEPARATOR
            .splitAsStream(yaml)
            .map(document -> (HasMetadata) SERIALIZATION.unmarshal(document))
            .filter(Objects::nonNull)
            .toList();
    return new RenderedManifest(yaml, objects);
  }

  /** {@code Kind/name} of every object, sorted, for whole-manifest assertions. */
  Set<String> kindsAndNames() {
    return objects.stream()
        .map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return all(type).stream()
        .filter(o -> name.equals(o.getMetadata().getName()))
        .findFirst()
        .orElseThrow(
            () ->
                new NoSuchElementException(
                    "no " + type.getSimpleName() + " " + name + " in " + kindsAndNames()));
  }

  /** The first container of a Deployment's pod template. */
  io.fabric8.kubernetes.api.model.Container container(String deployment) {
    return get(io.fabric8.kubernetes.api.model.apps.Deployment.class, deployment)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .getFirst();
  }

  /** An object of a kind fabric8 has no class for, e.g. a ServiceMonitor. */
  HasMetadata get(String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.getKind()) && name.equals(o.getMetadata().getName()))
        .findFirst()
        .orElseThrow(
            () -> new NoSuchElementException("no " + kind + " " + name + " in " + kindsAndNames()));
  }
}
