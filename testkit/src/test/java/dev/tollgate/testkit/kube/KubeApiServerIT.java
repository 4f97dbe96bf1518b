package dev.tollgate.testkit.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.ExternalCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KubeApiServerIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  @Test
  void storesAndReadsBackAConfigMap() {
    String namespace = KUBE.api().createNamespace("smoke");
    ConfigMap created =
        KUBE.api()
            .client()
            .configMaps()
            .inNamespace(namespace)
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("greeting")
                    .endMetadata()
                    .addToData("hello", "world")
                    .build())
            .create();

    ConfigMap read =
        KUBE.api().client().configMaps().inNamespace(namespace).withName("greeting").get();

    assertThat(read.getData()).containsEntry("hello", "world");
    assertThat(read.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
  }

  @Test
  void realKubectlTalksToTheServer() {
    var version = KUBE.api().kubectl(null, "version", "-o", "json").orThrow();
    assertThat(version.output()).contains("\"serverVersion\"").contains("\"gitVersion\": \"v1.");

    String namespace = KUBE.api().createNamespace("kubectl");
    KUBE.api()
        .kubectl(null, "-n", namespace, "create", "configmap", "c", "--from-literal=a=b")
        .orThrow();
    assertThat(
            KUBE.api()
                .kubectl(null, "-n", namespace, "get", "configmap", "c", "-o", "jsonpath={.data.a}")
                .orThrow()
                .output())
        .isEqualTo("b");
  }

  @Test
  void apiServerAndEtcdListenOnLoopbackOnly() {
    String sockets =
        ExternalCommand.run(Duration.ofSeconds(10), List.of("ss", "-Hltnp")).orThrow().output();
    List<String> localAddresses =
        sockets
            .lines()
            .filter(line -> line.contains("\"kube-apiserver\"") || line.contains("\"etcd"))
            .map(line -> line.trim().split("\\s+")[3])
            .toList();

    assertThat(localAddresses)
        .isNotEmpty()
        .allSatisfy(address -> assertThat(address).startsWith("127.0.0.1:"));
  }
}
