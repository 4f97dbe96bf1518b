package dev.tollgate.e2e.sync;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the propagation tests need, found from any working directory. */
final class SyncPaths {
  private SyncPaths() {}

  /** The checked-in CRDs ({@code crds/generated}), exactly what the chart installs. */
  static Path crds() {
    return root().resolve("crds/generated");
  }

  /**
   * The gateway as it ships, built by {@code ./mvnw -pl gateway -am package -DskipTests}; the
   * system property {@code tollgate.gateway.jar} points elsewhere (a jar built from another
   * checkout).
   */
  static Path gatewayJar() {
    String override = System.getProperty("tollgate.gateway.jar");
    Path jar =
        override != null
            ? Path.of(override)
            : root().resolve("gateway/target/tollgate-gateway.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: package the gateway module first");
    }
    return jar;
  }

  private static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("crds/generated/routes.tollgate.dev-v1.yml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no crds/generated above " + Path.of("").toAbsolutePath());
  }
}
