package dev.tollgate.testkit.cluster;

import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.RepositoryFiles;
import dev.tollgate.testkit.kube.Kubectl;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One running cluster of {@code tools/cluster.sh}: its kubeconfig, a cluster-admin client and the
 * real {@code kubectl}. Pod and Service IPs are reachable from this JVM (the script routes them
 * into the cluster's network namespace). Closing it, a JVM shutdown hook, or, should the JVM be
 * killed, the script's own watch on this process removes everything the cluster made.
 */
public final class KubeNode implements AutoCloseable {
  /** Start-up on a busy 2-core machine: about a minute, bounded generously. */
  private static final Duration START_TIMEOUT = Duration.ofMinutes(8);

  private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration KUBECTL_TIMEOUT = Duration.ofMinutes(3);

  private final String name;
  private final Path kubeConfigFile;
  private final KubernetesClient client;
  private final Thread removeOnExit;

  private KubeNode(String name, Path kubeConfigFile) {
    this.name = name;
    this.kubeConfigFile = kubeConfigFile;
    this.removeOnExit = new Thread(() -> down(name), "remove-cluster-" + name);
    Runtime.getRuntime().addShutdownHook(removeOnExit);
    try {
      this.client = new KubernetesClientBuilder().withConfig(config(kubeConfigFile)).build();
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(removeOnExit);
      down(name);
      throw e;
    }
  }

  /**
   * Starts a cluster with the cached add-on images and {@code images} (image tarballs, e.g. the
   * gateway's) imported; returns once the node is Ready and CoreDNS and metrics-server serve.
   */
  public static KubeNode start(List<Path> images) {
    List<String> command =
        new ArrayList<>(
            List.of(script(), "up", "--owner", Long.toString(ProcessHandle.current().pid())));
    for (Path image : images) {
      command.add("--image");
      command.add(image.toAbsolutePath().toString());
    }
    String output = ExternalCommand.run(START_TIMEOUT, command).orThrow().output();
    Map<String, String> printed =
        output
            .lines()
            .filter(line -> line.matches("[A-Z]+=.*"))
            .collect(
                Collectors.toMap(
                    line -> line.substring(0, line.indexOf('=')),
                    line -> line.substring(line.indexOf('=') + 1),
                    (first, second) -> second));
    if (!printed.containsKey("NAME") || !printed.containsKey("KUBECONFIG")) {
      throw new IllegalStateException("tools/cluster.sh up printed no cluster:\n" + output);
    }
    return new KubeNode(printed.get("NAME"), Path.of(printed.get("KUBECONFIG")));
  }

  public String name() {
    return name;
  }

  public Path kubeConfigFile() {
    return kubeConfigFile;
  }

  /** A cluster-admin client; closed with the cluster. */
  public KubernetesClient client() {
    return client;
  }

  /** Runs the real {@code kubectl} against this cluster; {@code stdin} may be null. */
  public ExternalCommand.Result kubectl(String stdin, String... args) {
    return Kubectl.run(kubeConfigFile, KUBECTL_TIMEOUT, stdin, args);
  }

  /** Imports more image tarballs into the node's containerd. */
  public void load(Path... images) {
    List<String> command = new ArrayList<>(List.of(script(), "load", name));
    for (Path image : images) {
      command.add(image.toAbsolutePath().toString());
    }
    ExternalCommand.run(START_TIMEOUT, command).orThrow();
  }

  /** Pods, recent events and the node, for a failure message. */
  public String diagnostics() {
    return kubectl(null, "get", "nodes,pods,hpa", "-A", "-o", "wide").output()
        + "\n"
        + kubectl(null, "get", "events", "-A", "--sort-by=.lastTimestamp").output();
  }

  @Override
  public void close() {
    client.close();
    try {
      Runtime.getRuntime().removeShutdownHook(removeOnExit);
    } catch (IllegalStateException alreadyShuttingDown) {
      return;
    }
    down(name);
  }

  private static void down(String name) {
    ExternalCommand.run(STOP_TIMEOUT, List.of(script(), "down", name)).orThrow();
  }

  private static String script() {
    return RepositoryFiles.find("tools/cluster.sh").toString();
  }

  private static Config config(Path kubeConfigFile) {
    try {
      return Config.fromKubeconfig(Files.readString(kubeConfigFile));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + kubeConfigFile, e);
    }
  }
}
