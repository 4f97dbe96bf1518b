package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the listener certificate bundle: one {@code Opaque} Secret in the operator's namespace
 * that the chart mounts into every gateway pod. It is read first and written only when its data
 * differ (a compilation every 30 s must not become a write every 30 s: each write makes the kubelet
 * refresh the volume in every gateway pod). The write carries the {@code resourceVersion} read, so
 * two writers never overwrite each other unseen; a lost race is written again by the next
 * compilation. A Secret of that name that the operator did not create (no {@code
 * app.kubernetes.io/managed-by: tollgate-operator} label) is never overwritten. After a write the
 * pods that mount the bundle are told to remount it ({@link BundleMountRefresh}).
 */
public final class CertificateBundleWriter {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateBundleWriter.class);

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String OPERATOR = "tollgate-operator";

  /** A certificate's key in the bundle: {@code <id>.crt}, beside its {@code <id>.key}. */
  private static final String CRT = ".crt";

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final OperatorMetrics metrics;
  private final Optional<BundleMountRefresh> mountRefresh;
  private Set<String> held;

  /**
   * @param mountingPods the labels of the pods in {@code namespace} that mount the bundle; empty:
   *     none is told, their kubelets deliver a new bundle at their periodic sync
   */
  public CertificateBundleWriter(
      KubernetesClient client,
      String namespace,
      String name,
      Map<String, String> mountingPods,
      OperatorMetrics metrics) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.metrics = metrics;
    this.mountRefresh =
        mountingPods.isEmpty()
            ? Optional.empty()
            : Optional.of(new BundleMountRefresh(client, namespace, mountingPods, metrics));
  }

  /**
   * The ids ({@code namespace.name}) of the certificates the bundle holds: read from the Secret at
   * the first call (a restarted operator keeps what its predecessor served), then as this writer
   * last wrote or found them. Empty when the Secret cannot be read (tried again at the next call).
   */
  public Set<String> held() {
    if (held == null) {
      try {
        Secret current = client.secrets().inNamespace(namespace).withName(name).get();
        held =
            current == null || !managed(current) || current.getData() == null
                ? Set.of()
                : idsOf(current.getData());
      } catch (KubernetesClientException e) {
        return Set.of();
      }
    }
    return held;
  }

  private static Set<String> idsOf(Map<String, String> data) {
    return data.keySet().stream()
        .filter(key -> key.endsWith(CRT))
        .map(key -> key.substring(0, key.length() - CRT.length()))
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Makes the bundle hold exactly what was judged usable.
   *
   * @return why it could not, or empty when it holds them (written now or already)
   */
  public Optional<String> write(ListenerCertificates.Judgement judged) {
    metrics.listenerCertificates(judged.served(), judged.bytes());
    SortedMap<String, String> data = judged.bundle();
    try {
      Secret current = client.secrets().inNamespace(namespace).withName(name).get();
      if (current != null && !managed(current)) {
        return Optional.of(
            "Secret "
                + namespace
                + "/"
                + name
                + " exists and is not managed by "
                + OPERATOR
                + "; delete it or choose another name");
      }
      Map<String, String> stored =
          current == null || current.getData() == null ? Map.of() : current.getData();
      if (current != null && stored.equals(data)) {
        held = idsOf(data);
        return Optional.empty();
      }
      Secret desired =
          new SecretBuilder()
              .withNewMetadata()
              .withNamespace(namespace)
              .withName(name)
              .withLabels(Map.of(MANAGED_BY, OPERATOR))
              .withResourceVersion(
                  current == null ? null : current.getMetadata().getResourceVersion())
              .endMetadata()
              .withType("Opaque")
              .withData(data)
              .build();
      Secret written =
          current == null
              ? client.secrets().inNamespace(namespace).resource(desired).create()
              : client.secrets().inNamespace(namespace).resource(desired).update();
      held = idsOf(data);
      metrics.listenerCertificateBundleWritten();
      LOG.info(
          "listener certificate bundle {}/{} written: {} certificates",
          namespace,
          name,
          judged.served());
      mountRefresh.ifPresent(pods -> pods.refresh(written.getMetadata().getResourceVersion()));
      return Optional.empty();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "listener certificate bundle {}/{} not written (retried with the next compilation): {}",
          namespace,
          name,
          e.getMessage());
      return Optional.of("HTTP " + e.getCode() + " writing Secret " + namespace + "/" + name);
    }
  }

  private static boolean managed(Secret secret) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    return labels != null && OPERATOR.equals(labels.get(MANAGED_BY));
  }
}
