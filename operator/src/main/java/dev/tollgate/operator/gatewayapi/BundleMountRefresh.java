package dev.tollgate.operator.gatewayapi;

import dev.tollgate.operator.metrics.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the kubelets of the pods that mount the listener certificate bundle deliver a new bundle
 * now rather than at their next periodic pod sync. A kubelet rewrites a Secret volume only when it
 * syncs the pod: on a change of the pod, or once a minute plus jitter. A new HTTPS listener was
 * served 75 s after its Gateway was applied in a real cluster, more than the 30 s the Gateway API
 * conformance suite allows; changing an annotation of each pod is such a change, so its kubelet
 * remounts at once and the gateway reads the new pair at its next certificate poll.
 *
 * <p>The annotation holds the bundle Secret's {@code resourceVersion}: a pod that already carries
 * it is not patched again. A failed patch is logged and counted, not retried: the kubelet still
 * delivers the bundle at its periodic sync.
 *
 * @param namespace the bundle Secret's namespace (pods mount Secrets of their own namespace only)
 * @param podLabels the labels of the pods that mount it
 */
record BundleMountRefresh(
    KubernetesClient client,
    String namespace,
    Map<String, String> podLabels,
    OperatorMetrics metrics) {
  private static final Logger LOG = LoggerFactory.getLogger(BundleMountRefresh.class);

  static final String ANNOTATION = "tollgate.dev/listener-certificates-version";

  BundleMountRefresh {
    podLabels = Map.copyOf(podLabels);
  }

  /** Annotates every mounting pod that does not carry this bundle version yet. */
  void refresh(String bundleVersion) {
    String patch =
        Serialization.asJson(
            Map.of("metadata", Map.of("annotations", Map.of(ANNOTATION, bundleVersion))));
    try {
      for (Pod pod : client.pods().inNamespace(namespace).withLabels(podLabels).list().getItems()) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations == null || !bundleVersion.equals(annotations.get(ANNOTATION))) {
          annotate(pod.getMetadata().getName(), patch);
        }
      }
    } catch (KubernetesClientException e) {
      metrics.bundleMountRefreshFailed();
      LOG.warn(
          "pods {} in {} not listed to refresh their listener certificates (their kubelets"
              + " deliver them within about a minute): {}",
          podLabels,
          namespace,
          e.getMessage());
    }
  }

  private void annotate(String pod, String patch) {
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(pod)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      metrics.bundleMountRefreshed();
    } catch (KubernetesClientException e) {
      // A pod deleted meanwhile (404) needs nothing; any other failure leaves the kubelet's own
      // periodic refresh.
      if (e.getCode() != 404) {
        metrics.bundleMountRefreshFailed();
        LOG.warn(
            "pod {}/{} not annotated to refresh its listener certificates: {}",
            namespace,
            pod,
            e.getMessage());
      }
    }
  }
}
