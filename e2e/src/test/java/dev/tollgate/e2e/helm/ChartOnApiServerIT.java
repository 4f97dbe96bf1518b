package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.testkit.kube.KubeApiServerExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered chart on a real kube-apiserver: every object of every values scenario is created and
 * so passes the server's validation (HPA, PDB, NetworkPolicy, the CRDs themselves and the
 * ServiceMonitor and PrometheusRule against stand-in CRDs), and the pods are admitted by Pod
 * Security Admission enforcing the "restricted" standard.
 */
class ChartOnApiServerIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  private static final String DEFAULTS = "default values";

  @BeforeAll
  static void prepareCluster() throws IOException {
    KubernetesClient client = KUBE.api().client();
    for (String standIn : List.of("servicemonitor-crd.yaml", "prometheusrule-crd.yaml")) {
      ManifestApplier.applyCrd(
          client,
          new KubernetesSerialization()
              .unmarshal(
                  Files.readString(RepositoryPaths.testResource(standIn)),
                  CustomResourceDefinition.class));
    }
    // Namespaces that values files point at (operator.watchNamespaces, the dashboard's).
    for (String namespace : List.of("shop", "billing", "monitoring")) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        DEFAULTS,
        "external-redis",
        "external-redis-cluster",
        "hpa-off",
        "requests-per-second",
        "monitoring",
        "network-policy",
        "watch-namespaces",
        "jwt",
        "tls",
        "gateway-listener-certificates"
      })
  void apiServerAcceptsEveryRenderedObject(String valuesFile) {
    String namespace = KUBE.api().createNamespace("chart");
    TollgateChart.Render render = TollgateChart.render(uniqueRelease()).inNamespace(namespace);
    if (!valuesFile.equals(DEFAULTS)) {
      render = render.withValues(valuesFile);
    }
    List<HasMetadata> rendered = render.manifest().objects();

    List<HasMetadata> stored = ManifestApplier.create(KUBE.api().client(), rendered);

    assertThat(stored)
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyElementsOf(
            rendered.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
    assertThat(stored).allSatisfy(o -> assertThat(o.getMetadata().getUid()).isNotBlank());
  }

  @Test
  void podsOfEveryComponentAreAdmittedUnderTheRestrictedPodSecurityStandard() {
    String namespace = restrictedNamespace();
    RenderedManifest manifest =
        TollgateChart.render(uniqueRelease()).inNamespace(namespace).manifest();
    KubernetesClient client = KUBE.api().client();
    manifest.all(ServiceAccount.class).forEach(sa -> client.resource(sa).create());

    for (Deployment deployment : manifest.all(Deployment.class)) {
      Pod created =
          client
              .resource(
                  podFrom(
                      namespace,
                      deployment.getMetadata().getName(),
                      deployment.getSpec().getTemplate()))
              .create();
      assertThat(created.getMetadata().getUid()).isNotBlank();
    }
  }

  @Test
  void restrictedNamespaceRefusesAPodThatDropsTheChartsSettings() {
    String namespace = restrictedNamespace();
    RenderedManifest manifest =
        TollgateChart.render(uniqueRelease())
            .inNamespace(namespace)
            .set("securityContext.allowPrivilegeEscalation", true)
            .manifest();
    manifest.all(ServiceAccount.class).forEach(sa -> KUBE.api().client().resource(sa).create());
    Deployment gateway =
        manifest.all(Deployment.class).stream()
            .filter(d -> d.getMetadata().getName().endsWith("-gateway"))
            .findFirst()
            .orElseThrow();

    // The control for the test above: the namespace really enforces the standard.
    assertThatThrownBy(
            () ->
                KUBE.api()
                    .client()
                    .resource(podFrom(namespace, "gateway", gateway.getSpec().getTemplate()))
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"")
        .hasMessageContaining("allowPrivilegeEscalation != false");
  }

  private static String restrictedNamespace() {
    String name = "restricted-" + UUID.randomUUID().toString().substring(0, 8);
    KUBE.api()
        .client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(
                    Map.of(
                        "pod-security.kubernetes.io/enforce", "restricted",
                        "pod-security.kubernetes.io/enforce-version", "latest"))
                .endMetadata()
                .build())
        .create();
    return name;
  }

  /** A bare pod from a Deployment's template: what the ReplicaSet controller would create. */
  private static Pod podFrom(String namespace, String name, PodTemplateSpec template) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(template.getMetadata().getLabels())
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
  }

  private static String uniqueRelease() {
    return "tg-" + UUID.randomUUID().toString().substring(0, 6);
  }
}
