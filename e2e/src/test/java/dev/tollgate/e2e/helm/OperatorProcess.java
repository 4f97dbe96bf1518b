package dev.tollgate.e2e.helm;

import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real operator ({@code java -jar operator/target/tollgate-operator.jar}) as a child process
 * with the environment and kubeconfig a test gives it, its output kept in a file for failure
 * messages. Closing it stops that process only.
 */
final class OperatorProcess implements AutoCloseable {
  private static final int LOG_TAIL_LINES = 30;
  private final Process process;
  private final Path dir;
  private final Path log;

  private OperatorProcess(Process process, Path dir, Path log) {
    this.process = process;
    this.dir = dir;
    this.log = log;
  }

  static Path jar() {
    Path jar = RepositoryPaths.root().resolve("operator/target/tollgate-operator.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it first (./mvnw -pl operator -am package -DskipTests)");
    }
    return jar;
  }

  static OperatorProcess start(Map<String, String> env, String kubeConfigYaml) {
    Path dir = TempDirs.create("tollgate-operator-");
    try {
      Path kubeConfig = Files.writeString(dir.resolve("kubeconfig.yaml"), kubeConfigYaml);
      Path log = dir.resolve("operator.log");
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder builder =
          new ProcessBuilder(List.of(java, "-jar", jar().toString()))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      // Only what the chart sets (plus where the API server is): nothing leaks in from the
      // test JVM's environment, such as a developer's own kubeconfig.
      builder.environment().clear();
      builder.environment().putAll(env);
      builder.environment().put("KUBECONFIG", kubeConfig.toString());
      builder.environment().put("HOME", dir.toString());
      return new OperatorProcess(builder.start(), dir, log);
    } catch (IOException e) {
      TempDirs.deleteRecursively(dir);
      throw new UncheckedIOException("cannot start the operator", e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines the operator printed, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(Duration.ofSeconds(15).toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      TempDirs.deleteRecursively(dir);
    }
  }
}
