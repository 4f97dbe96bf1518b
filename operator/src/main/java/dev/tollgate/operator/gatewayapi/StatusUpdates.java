package dev.tollgate.operator.gatewayapi;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the status of a Gateway API resource, starting from a copy of the cached object so the
 * cache itself never changes. A write that fails is logged, not thrown: the next pass writes again.
 */
final class StatusUpdates {
  private static final Logger LOG = LoggerFactory.getLogger(StatusUpdates.class);

  private final KubernetesClient client;

  StatusUpdates(KubernetesClient client) {
    this.client = client;
  }

  @SuppressWarnings("unchecked")
  <T extends HasMetadata> T copy(T resource) {
    return (T) client.getKubernetesSerialization().clone(resource);
  }

  /** The resource as the API server would read it, for fields the typed model cannot carry. */
  GenericKubernetesResource generic(HasMetadata resource) {
    return client
        .getKubernetesSerialization()
        .convertValue(resource, GenericKubernetesResource.class);
  }

  void update(HasMetadata resource) {
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
}
