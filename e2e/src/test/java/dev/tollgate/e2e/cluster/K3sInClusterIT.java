package dev.tollgate.e2e.cluster;

import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.RepositoryFiles;
import dev.tollgate.testkit.TempDirs;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The in-cluster scenario on K3s (Testcontainers), for machines with a Docker engine; elsewhere it
 * is skipped and says so ({@link DockerRequired}). The gateway and operator images Jib built in
 * this build are imported into K3s's containerd; Redis and the example's busybox are pulled as a
 * user's cluster would. The gateway Service is reached through a NodePort (K3s's kube-proxy), pods
 * through {@code kubectl port-forward}.
 */
@ExtendWith(DockerRequired.class)
@Testcontainers
class K3sInClusterIT extends InClusterScenario {
  private static final int NODE_PORT = 30080;

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse("rancher/k3s:v1.32.13-k3s1"))
          .withExposedPorts(6443, NODE_PORT);

  private final Map<String, LocalPortForward> forwards = new ConcurrentHashMap<>();
  private Path dir;
  private Path kubeConfig;
  private KubernetesClient client;

  @Override
  KubernetesClient client() {
    if (client == null) {
      client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
              .build();
      importImages();
    }
    return client;
  }

  @Override
  Path kubeConfigFile() {
    if (kubeConfig == null) {
      dir = TempDirs.create("tollgate-k3s-");
      try {
        kubeConfig = Files.writeString(dir.resolve("kubeconfig"), K3S.getKubeConfigYaml());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return kubeConfig;
  }

  @Override
  ExternalCommand.Result kubectl(String stdin, String... args) {
    client();
    List<String> command =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeConfigFile().toString()));
    command.addAll(List.of(args));
    return ExternalCommand.run(Duration.ofMinutes(3), command, stdin);
  }

  /** Redis as the chart has it, pulled as in any cluster with a registry. */
  @Override
  Map<String, String> clusterValues() {
    // pod(...) reaches the admin port through kubectl port-forward, which connects to the pod's
    // loopback; by default the admin port listens on the pod IP only
    return Map.of("gateway.admin.bindAddress", "0.0.0.0");
  }

  @Override
  void afterInstall() {
    kubectl(
            "{\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"name\":\"http\",\"port\":80,"
                + "\"nodePort\":"
                + NODE_PORT
                + "}]}}",
            "patch",
            "service",
            "-n",
            NAMESPACE,
            RELEASE + "-gateway",
            "--type=strategic",
            "--patch-file=/dev/stdin")
        .orThrow();
  }

  @Override
  String echoImage() {
    return "busybox:1.37";
  }

  @Override
  URI gatewayService() {
    return URI.create("http://" + K3S.getHost() + ":" + K3S.getMappedPort(NODE_PORT) + "/");
  }

  /** The node port maps plain HTTP only: HTTPS through a port-forward to a gateway pod. */
  @Override
  URI gatewayHttps() {
    URI forwarded = pod(readyGateways().getFirst(), 8443);
    return URI.create("https://" + forwarded.getHost() + ":" + forwarded.getPort() + "/");
  }

  @Override
  URI pod(Pod pod, int port) {
    String name = pod.getMetadata().getName();
    LocalPortForward forward =
        forwards.computeIfAbsent(
            name + ":" + port,
            key -> client().pods().inNamespace(NAMESPACE).withName(name).portForward(port));
    return URI.create("http://127.0.0.1:" + forward.getLocalPort() + "/");
  }

  @Override
  String diagnostics() {
    return kubectl(null, "get", "pods,hpa", "-A", "-o", "wide").output();
  }

  @AfterAll
  void closeClient() throws IOException {
    for (LocalPortForward forward : forwards.values()) {
      forward.close();
    }
    if (client != null) {
      client.close();
    }
    TempDirs.deleteRecursively(dir);
  }

  /** The Jib tarballs into K3s's containerd, under the full names the kubelet asks for. */
  private static void importImages() {
    for (String module : List.of("gateway", "operator", "analytics")) {
      Path tar = RepositoryFiles.find(module + "/target/tollgate-" + module + "-image.tar");
      String inside = "/tmp/" + tar.getFileName();
      K3S.copyFileToContainer(MountableFile.forHostPath(tar), inside);
      exec("ctr", "-n", "k8s.io", "images", "import", inside);
      String image = "tollgate/" + module + ":" + IMAGE_TAG;
      exec("ctr", "-n", "k8s.io", "images", "tag", "--force", image, "docker.io/" + image);
    }
  }

  private static void exec(String... command) {
    try {
      var result = K3S.execInContainer(command);
      if (result.getExitCode() != 0) {
        throw new IllegalStateException(String.join(" ", command) + ": " + result.getStderr());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
