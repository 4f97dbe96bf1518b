package dev.tollgate.e2e.helm;

import dev.tollgate.testkit.kube.KubeApiServer;
import io.fabric8.kubernetes.api.model.AuthInfoBuilder;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * A kubeconfig that authenticates as a ServiceAccount with a bound token from the TokenRequest API:
 * the same credential the kubelet projects into the ServiceAccount's pods, so a process using it
 * has exactly the permissions the chart's RBAC gives that pod.
 */
final class ServiceAccountKubeConfig {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final long ONE_HOUR = 3600L;

  private ServiceAccountKubeConfig() {}

  static String forServiceAccount(KubeApiServer api, String namespace, String serviceAccount) {
    TokenRequest issued =
        api.client()
            .serviceAccounts()
            .inNamespace(namespace)
            .withName(serviceAccount)
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(ONE_HOUR)
                    .endSpec()
                    .build());
    // Same cluster entry (server and CA), but the admin's client certificate replaced by the token.
    Config kubeConfig = SERIALIZATION.unmarshal(api.kubeConfigYaml(), Config.class);
    for (NamedAuthInfo user : kubeConfig.getUsers()) {
      user.setUser(new AuthInfoBuilder().withToken(issued.getStatus().getToken()).build());
    }
    return SERIALIZATION.asYaml(kubeConfig);
  }
}
