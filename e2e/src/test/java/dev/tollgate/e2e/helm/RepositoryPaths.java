package dev.tollgate.e2e.helm;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the chart and the generated CRDs from wherever the test JVM was started. */
final class RepositoryPaths {
  private RepositoryPaths() {}

  /** The repository root: the nearest ancestor of the working directory holding the chart. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("helm/tollgate/Chart.yaml"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no helm/tollgate/Chart.yaml above " + Path.of("").toAbsolutePath());
  }

  static Path chart() {
    return root().resolve("helm/tollgate");
  }

  static Path generatedCrds() {
    return root().resolve("crds/generated");
  }

  /** A file under {@code src/test/resources/helm}. */
  static Path testResource(String relative) {
    var url = RepositoryPaths.class.getResource("/helm/" + relative);
    if (url == null) {
      throw new IllegalArgumentException("no test resource helm/" + relative);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(url.toString(), e);
    }
  }
}
