package dev.tollgate.testkit.kube;

import dev.tollgate.testkit.ExternalCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real {@code kubectl}, as a user runs it against one API server's kubeconfig. */
public final class Kubectl {
  private Kubectl() {}

  /**
   * Runs {@code kubectl --kubeconfig <kubeConfigFile> <args>} with a discovery cache next to the
   * kubeconfig: kubectl keys its shared cache by host and port, and a port reused from an earlier
   * server's run served that server's API list (a category its CRDs lacked: "the server doesn't
   * have a resource type").
   *
   * @param stdin what kubectl reads, or null
   */
  public static ExternalCommand.Result run(
      Path kubeConfigFile, Duration timeout, String stdin, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "kubectl",
                "--kubeconfig",
                kubeConfigFile.toString(),
                "--cache-dir",
                kubeConfigFile.resolveSibling("kubectl-cache").toString()));
    command.addAll(List.of(args));
    return ExternalCommand.run(timeout, command, stdin);
  }
}
