package dev.tollgate.e2e.helm;

import dev.tollgate.testkit.kube.KubeApiServer;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Set;
import java.util.TreeSet;

/**
 * A client that acts as a ServiceAccount through the API server's impersonation (the cluster-admin
 * test user sends {@code Impersonate-User: system:serviceaccount:<ns>:<name>}; the server adds the
 * ServiceAccount groups), so RBAC judges exactly what a pod with that account could do.
 */
final class Impersonation implements AutoCloseable {
  private final KubernetesClient client;

  private Impersonation(KubernetesClient client) {
    this.client = client;
  }

  static Impersonation serviceAccount(KubeApiServer api, String namespace, String name) {
    Config config = api.clientConfig();
    config.setImpersonateUsername("system:serviceaccount:" + namespace + ":" + name);
    return new Impersonation(new KubernetesClientBuilder().withConfig(config).build());
  }

  KubernetesClient client() {
    return client;
  }

  /** SelfSubjectAccessReview: may this identity do {@code verb} on the resource? */
  boolean can(ResourceAttributes attributes) {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withResourceAttributes(attributes)
            .endSpec()
            .build();
    return client.resource(review).create().getStatus().getAllowed();
  }

  /**
   * The identity's effective resource rules in a namespace (SelfSubjectRulesReview), flattened to
   * one {@code "verb group/resource"} string per permission so that sets can be compared.
   */
  Set<String> effectiveRules(String namespace) {
    SelfSubjectRulesReview review =
        client
            .resource(
                new SelfSubjectRulesReviewBuilder()
                    .withNewSpec()
                    .withNamespace(namespace)
                    .endSpec()
                    .build())
            .create();
    if (Boolean.TRUE.equals(review.getStatus().getIncomplete())) {
      throw new IllegalStateException("incomplete rules: " + review.getStatus());
    }
    Set<String> rules = new TreeSet<>();
    for (var rule : review.getStatus().getResourceRules()) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            String names = rule.getResourceNames().isEmpty() ? "" : " " + rule.getResourceNames();
            rules.add(verb + " " + group + "/" + resource + names);
          }
        }
      }
    }
    return rules;
  }

  @Override
  public void close() {
    client.close();
  }
}
