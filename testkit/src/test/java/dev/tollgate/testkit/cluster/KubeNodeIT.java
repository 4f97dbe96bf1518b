package dev.tollgate.testkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tools/cluster.sh} leaves nothing on the machine when the process that started a cluster
 * dies without stopping it (a killed test JVM): its watch removes the running pods' containers,
 * mounts and cgroups, the network namespace, the host routes and the directory.
 */
class KubeNodeIT {
  private static final Path CLUSTERS = Path.of("/tmp/tollgate-clusters");

  @Test
  void aClusterWhoseOwnerDiedIsRemovedWithEverythingItMade() throws Exception {
    Process owner = new ProcessBuilder("sleep", "900").start();
    try {
      String output =
          ExternalCommand.run(
                  Duration.ofMinutes(8),
                  List.of(
                      RepositoryFiles.find("tools/cluster.sh").toString(),
                      "up",
                      "--owner",
                      Long.toString(owner.pid()),
                      "--image",
                      NodeImages.tarball("busybox").toString()))
              .orThrow()
              .output();
      String name = printed(output, "NAME");
      String kubeconfig = printed(output, "KUBECONFIG");
      String subnet = subnet(name);
      kubectl(
          kubeconfig,
          "run",
          "sleeper",
          "--image=" + NodeImages.ref("BUSYBOX"),
          "--image-pull-policy=Never",
          "--restart=Never",
          "--command",
          "--",
          "sleep",
          "3600");
      kubectl(kubeconfig, "wait", "--for=condition=Ready", "pod/sleeper", "--timeout=180s");
      assertThat(traces(name, subnet)).anyMatch(t -> t.contains("rootfs"));

      owner.destroyForcibly().waitFor();

      await()
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(() -> assertThat(traces(name, subnet)).isEmpty());
    } finally {
      owner.destroyForcibly();
    }
  }

  private static String printed(String output, String key) {
    return output
        .lines()
        .filter(line -> line.startsWith(key + "="))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + key + " in:\n" + output))
        .substring(key.length() + 1);
  }

  /** The cluster's /24 on the host, e.g. 10.217.42.0/24, from the env file it wrote. */
  private static String subnet(String name) throws IOException {
    String index =
        Files.readAllLines(CLUSTERS.resolve(name).resolve("env")).stream()
            .filter(line -> line.startsWith("INDEX="))
            .findFirst()
            .orElseThrow()
            .substring("INDEX=".length());
    return "10.217." + index + ".0/24";
  }

  private static void kubectl(String kubeconfig, String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig));
    command.addAll(List.of(args));
    ExternalCommand.run(Duration.ofMinutes(4), command).orThrow();
  }

  /** What of the cluster is still there: directory, namespace, cgroups, mounts, routes. */
  private static List<String> traces(String name, String subnet) {
    String script =
        String.join(
            "; ",
            "ls -d /run/netns/tollgate-" + name + " /sys/fs/cgroup/*/tollgate-" + name,
            "grep " + CLUSTERS.resolve(name) + "/ /proc/mounts",
            "ip route show root " + subnet,
            "ls -d " + CLUSTERS.resolve(name),
            "true");
    return ExternalCommand.run(
            Duration.ofSeconds(30), List.of("sh", "-c", "{ " + script + "; } 2>/dev/null"))
        .output()
        .lines()
        .filter(line -> !line.isBlank())
        .toList();
  }
}
