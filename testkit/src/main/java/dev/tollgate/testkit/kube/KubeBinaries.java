package dev.tollgate.testkit.kube;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Knows where kube-api-test keeps kube-apiserver, etcd and kubectl, and whether they are there. */
final class KubeBinaries {
  private KubeBinaries() {}

  /** {@code ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s}, as kube-api-test resolves it. */
  static Path root() {
    String configured = System.getenv("KUBE_API_TEST_DIR");
    Path base =
        configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".kubeapitest");
    return base.resolve("k8s");
  }

  static boolean presentLocally() {
    Path root = root();
    if (!Files.isDirectory(root)) {
      return false;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.anyMatch(KubeBinaries::complete);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean complete(Path versionDir) {
    return Stream.of("kube-apiserver", "etcd", "kubectl")
        .allMatch(name -> Files.isExecutable(versionDir.resolve(name)));
  }
}
