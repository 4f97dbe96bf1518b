package dev.tollgate.e2e.helm;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates rendered chart objects in a real API server, so its validation (schemas, defaulting,
 * admission) judges every field. CRDs are shared by all releases of a test class, so they are
 * server-side applied (idempotent) and awaited until established; everything else is created and
 * must not exist yet.
 */
final class ManifestApplier {
  private ManifestApplier() {}

  /** Creates every object and returns what the API server stored. */
  static List<HasMetadata> create(KubernetesClient client, List<HasMetadata> objects) {
    List<HasMetadata> stored = new ArrayList<>();
    for (HasMetadata object : objects) {
      if (object instanceof CustomResourceDefinition crd) {
        stored.add(applyCrd(client, crd));
      } else {
        stored.add(client.resource(object).create());
      }
    }
    return stored;
  }

  static CustomResourceDefinition applyCrd(KubernetesClient client, CustomResourceDefinition crd) {
    CustomResourceDefinition applied =
        client.resource(crd).fieldManager("tollgate-chart-test").forceConflicts().serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> established(client, crd.getMetadata().getName()));
    return applied;
  }

  private static boolean established(KubernetesClient client, String name) {
    CustomResourceDefinition current =
        client.apiextensions().v1().customResourceDefinitions().withName(name).get();
    return current != null
        && current.getStatus() != null
        && current.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True"));
  }
}
