package dev.tollgate.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a file or directory of this repository from wherever the JVM was started: a module
 * directory (Maven Surefire/Failsafe) or the repository root ({@code exec:java}, an IDE).
 */
public final class RepositoryFiles {
  private RepositoryFiles() {}

  /**
   * @param relative a path relative to the repository root, e.g. {@code crds/generated}
   * @throws IllegalStateException when no ancestor of the working directory holds it
   */
  public static Path find(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate) && Files.isRegularFile(dir.resolve("mvnw"))) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no " + relative + " in the repository above " + Path.of("").toAbsolutePath());
  }
}
