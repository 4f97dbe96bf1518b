package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import dev.tollgate.testkit.kube.KubeApiServer;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code helm install}, {@code upgrade} and {@code uninstall} of the chart against a real API
 * server (Helm's own client code, through helm-java). The CRDs are templates, so an upgrade changes
 * them too, and they carry {@code helm.sh/resource-policy: keep}, so an uninstall leaves them and
 * the users' Routes and RateLimitPolicies in place. A class of its own: the release owns the CRDs,
 * which other test classes create without Helm's ownership labels.
 */
class ChartHelmLifecycleIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  private static final String RELEASE = "tollgate";
  private static final String ROUTES = "routes.tollgate.dev";
  private static final String POLICIES = "ratelimitpolicies.tollgate.dev";

  @Test
  void installsUpgradesAndUninstallsKeepingCrdsAndCustomResources() {
    KubeApiServer api = KUBE.api();
    KubernetesClient client = api.client();
    String namespace = api.createNamespace("tollgate");

    Release installed =
        TollgateChart.helm()
            .install()
            .withName(RELEASE)
            .withNamespace(namespace)
            .withKubeConfig(api.kubeConfigFile())
            .call();

    assertThat(installed.getStatus()).isEqualTo("deployed");
    assertThat(installed.getOutput())
        .as("NOTES.txt")
        .contains("kubectl -n " + namespace + " rollout status deployment/tollgate-gateway")
        .contains("http://tollgate-gateway-admin:9090/admin/config");
    assertThat(client.apps().deployments().inNamespace(namespace).list().getItems())
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "tollgate-operator", "tollgate-gateway", "tollgate-redis", "tollgate-analytics");
    assertThat(crd(client, ROUTES).getMetadata().getAnnotations())
        .containsEntry("meta.helm.sh/release-name", RELEASE)
        .containsEntry("helm.sh/resource-policy", "keep");

    String shop = api.createNamespace("shop");
    api.kubectl(
            null,
            "apply",
            "-n",
            shop,
            "-f",
            RepositoryPaths.root().resolve("examples/k8s/02-routes.yaml").toString(),
            "-f",
            RepositoryPaths.root().resolve("examples/k8s/03-ratelimitpolicies.yaml").toString())
        .orThrow();

    Map<String, String> redisPasswords =
        client.secrets().inNamespace(namespace).withName("tollgate-redis").get().getData();

    Release upgraded =
        TollgateChart.helm()
            .upgrade()
            .withName(RELEASE)
            .withNamespace(namespace)
            .withKubeConfig(api.kubeConfigFile())
            .set("commonLabels.tollgate\\.dev/upgrade-check", "two")
            .set("gateway.autoscaling.maxReplicas", 20)
            .call();

    assertThat(upgraded.getRevision()).isEqualTo("2");
    assertThat(client.secrets().inNamespace(namespace).withName("tollgate-redis").get().getData())
        .as("the generated Redis passwords survive the upgrade")
        .isEqualTo(redisPasswords)
        .containsKeys("gateway-password", "operator-password", "probe-password");
    assertThat(crd(client, ROUTES).getMetadata().getLabels())
        .as("the upgrade reached the CRDs")
        .containsEntry("tollgate.dev/upgrade-check", "two");
    assertThat(
            client
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace)
                .withName("tollgate-gateway")
                .get()
                .getSpec()
                .getMaxReplicas())
        .isEqualTo(20);

    assertThat(upgrade(api, namespace, false).getRevision()).isEqualTo("3");
    assertThat(gatewayReplicas(client, namespace)).isEqualTo(5);
    upgrade(api, namespace, true);
    assertThat(gatewayReplicas(client, namespace))
        .as("turning the HPA on keeps the pods running until it scales")
        .isEqualTo(5);
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName("tollgate-gateway")
        .scale(7); // as the HPA does
    upgrade(api, namespace, true);
    assertThat(gatewayReplicas(client, namespace))
        .as("an upgrade keeps the HPA's count")
        .isEqualTo(7);

    Helm.uninstall(RELEASE).withNamespace(namespace).withKubeConfig(api.kubeConfigFile()).call();

    assertThat(client.apps().deployments().inNamespace(namespace).list().getItems()).isEmpty();
    assertThat(client.rbac().clusterRoles().withName("tollgate-operator").get()).isNull();
    assertThat(crd(client, ROUTES)).isNotNull();
    assertThat(crd(client, POLICIES)).isNotNull();
    assertThat(
            api.kubectl(null, "get", "-n", shop, "routes,ratelimitpolicies", "-o", "name")
                .orThrow()
                .output())
        .contains("route.tollgate.dev/orders")
        .contains("ratelimitpolicy.tollgate.dev/orders-per-user");
  }

  /** An upgrade with 5 replicas when the HPA is off. */
  private static Release upgrade(KubeApiServer api, String namespace, boolean autoscaling) {
    return TollgateChart.helm()
        .upgrade()
        .withName(RELEASE)
        .withNamespace(namespace)
        .withKubeConfig(api.kubeConfigFile())
        .set("gateway.autoscaling.enabled", autoscaling)
        .set("gateway.replicas", 5)
        .call();
  }

  private static int gatewayReplicas(KubernetesClient client, String namespace) {
    return client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName("tollgate-gateway")
        .get()
        .getSpec()
        .getReplicas();
  }

  private static CustomResourceDefinition crd(KubernetesClient client, String name) {
    return client.apiextensions().v1().customResourceDefinitions().withName(name).get();
  }
}
