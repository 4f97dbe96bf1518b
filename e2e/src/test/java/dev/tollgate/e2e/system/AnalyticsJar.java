package dev.tollgate.e2e.system;

import static org.awaitility.Awaitility.await;

import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.LogFiles;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * One analytics replica as it ships: {@code java -jar analytics/target/tollgate-analytics.jar} with
 * the environment the chart gives it, its admin port on loopback.
 */
final class AnalyticsJar implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final int adminPort;

  private AnalyticsJar(String name, Process process, Path log, int adminPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.adminPort = adminPort;
  }

  static Path jar() {
    Path jar = RepositoryFiles.find("analytics").resolve("target/tollgate-analytics.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it first (./mvnw -pl analytics -am package -DskipTests)");
    }
    return jar;
  }

  /**
   * @param extraEnv more settings, e.g. {@code TOLLGATE_ANALYTICS_CLAIM_IDLE}
   */
  static AnalyticsJar start(
      String name, String redisUri, String gatewayName, Path dir, Map<String, String> extraEnv) {
    int adminPort = FreePort.pick();
    Path log = dir.resolve(name + ".log");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(java, "-Xmx128m", "-jar", jar().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().put("HOSTNAME", name);
    builder.environment().put("TOLLGATE_BIND_ADDRESS", "127.0.0.1");
    builder.environment().put("TOLLGATE_ADMIN_PORT", Integer.toString(adminPort));
    builder.environment().put("TOLLGATE_REDIS_URL", redisUri);
    builder.environment().put("TOLLGATE_GATEWAY_NAME", gatewayName);
    builder.environment().putAll(extraEnv);
    try {
      AnalyticsJar replica = new AnalyticsJar(name, builder.start(), log, adminPort);
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .failFast(() -> !replica.process.isAlive())
            .until(replica::ready);
      } catch (ConditionTimeoutException | TerminalFailureException e) {
        replica.close();
        throw new IllegalStateException("analytics not ready: " + replica.logTail(), e);
      }
      return replica;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start analytics " + name, e);
    }
  }

  int adminPort() {
    return adminPort;
  }

  private boolean ready() {
    try {
      return LoopbackHttp.get(adminPort, "/health/ready").statusCode() == 200;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** {@code tollgate_analytics_records_total}: records this replica applied. */
  long recordsApplied() {
    return LoopbackHttp.get(adminPort, "/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith("tollgate_analytics_records_total"))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** SIGKILL: no batch in hand is finished, no clean-up. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String logTail() {
    return name + ":\n" + LogFiles.tail(log, 40);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
