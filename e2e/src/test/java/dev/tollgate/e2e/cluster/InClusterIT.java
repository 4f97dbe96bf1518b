package dev.tollgate.e2e.cluster;

import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.RepositoryFiles;
import dev.tollgate.testkit.cluster.KubeNodeExtension;
import dev.tollgate.testkit.cluster.NodeImages;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The in-cluster scenario on a real single-node Kubernetes built from source on this machine
 * ({@code tools/cluster.sh}): the gateway, operator and analytics images Jib built in this build,
 * Debian's Redis and busybox as the bundled Redis and the example's echo server, all imported into
 * the node's containerd (no registry). This JVM reaches Service and pod IPs through the node's
 * network namespace, so gateway traffic goes through kube-proxy's rules as any client's would.
 */
class InClusterIT extends InClusterScenario {
  @RegisterExtension
  static final KubeNodeExtension NODE =
      new KubeNodeExtension(
          List.of(
              RepositoryFiles.find("gateway/target/tollgate-gateway-image.tar"),
              RepositoryFiles.find("operator/target/tollgate-operator-image.tar"),
              RepositoryFiles.find("analytics/target/tollgate-analytics-image.tar"),
              NodeImages.tarball("redis"),
              NodeImages.tarball("busybox")));

  @Override
  KubernetesClient client() {
    return NODE.node().client();
  }

  @Override
  Path kubeConfigFile() {
    return NODE.node().kubeConfigFile();
  }

  @Override
  ExternalCommand.Result kubectl(String stdin, String... args) {
    return NODE.node().kubectl(stdin, args);
  }

  @Override
  Map<String, String> clusterValues() {
    String redis = NodeImages.ref("REDIS");
    return Map.of(
        "redis.bundled.image.repository",
        redis.substring(0, redis.lastIndexOf(':')),
        "redis.bundled.image.tag",
        redis.substring(redis.lastIndexOf(':') + 1),
        "redis.bundled.image.pullPolicy",
        "Never");
  }

  @Override
  String echoImage() {
    return NodeImages.ref("BUSYBOX");
  }

  @Override
  URI gatewayService() {
    String ip =
        client()
            .services()
            .inNamespace(NAMESPACE)
            .withName(RELEASE + "-gateway")
            .get()
            .getSpec()
            .getClusterIP();
    return URI.create("http://" + ip + ":80/");
  }

  @Override
  URI pod(Pod pod, int port) {
    return URI.create("http://" + pod.getStatus().getPodIP() + ":" + port + "/");
  }

  @Override
  String diagnostics() {
    return NODE.node().diagnostics();
  }
}
