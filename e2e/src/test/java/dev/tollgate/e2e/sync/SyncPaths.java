package dev.tollgate.e2e.sync;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the propagation tests need, found from any working directory. */
final class SyncPaths {
  private SyncPaths() {}

  /** The checked-in CRDs ({@code crds/generated}), exactly what the chart installs. */
  static Path crds() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path crds = dir.resolve("crds/generated");
      if (Files.isRegularFile(crds.resolve("routes.tollgate.dev-v1.yml"))) {
        return crds;
      }
    }
    throw new IllegalStateException("no crds/generated above " + Path.of("").toAbsolutePath());
  }
}
