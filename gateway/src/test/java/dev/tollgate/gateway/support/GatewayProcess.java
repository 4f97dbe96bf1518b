package dev.tollgate.gateway.support;

import static org.awaitility.Awaitility.await;

import dev.tollgate.testkit.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged gateway ({@code target/tollgate-gateway.jar}) in its own JVM, as an operator runs
 * it; used where the gateway's heap must be measured or capped apart from the test's.
 */
public final class GatewayProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final int adminPort;
  private final Path log;

  private GatewayProcess(Process process, int port, int adminPort, Path log) {
    this.process = process;
    this.port = port;
    this.adminPort = adminPort;
    this.log = log;
  }

  /**
   * @param configDir standalone config directory
   * @param jvmArgs extra JVM options, e.g. {@code -Xmx48m}
   */
  public static GatewayProcess start(Path configDir, List<String> jvmArgs) {
    return start(configDir, jvmArgs, List.of());
  }

  /**
   * @param flags more gateway settings as flags, e.g. {@code --access-stream=on}
   */
  public static GatewayProcess start(Path configDir, List<String> jvmArgs, List<String> flags) {
    return start(
        Path.of("target", "tollgate-gateway.jar").toAbsolutePath(), configDir, jvmArgs, flags);
  }

  /**
   * @param jar the gateway jar to run, e.g. one built from another commit for a before/after run
   */
  public static GatewayProcess start(
      Path jar, Path configDir, List<String> jvmArgs, List<String> flags) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing; run the package phase first");
    }
    int port = FreePort.pick();
    int adminPort = FreePort.pick();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--bind-address=127.0.0.1",
            "--port=" + port,
            "--admin-port=" + adminPort,
            "--config-dir=" + configDir));
    command.addAll(flags);
    try {
      Path log = Files.createTempFile("tollgate-gateway", ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      GatewayProcess gateway = new GatewayProcess(process, port, adminPort, log);
      gateway.awaitReady();
      return gateway;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .failFast("gateway process exited before it became ready", () -> !process.isAlive())
        .until(
            () ->
                http.send(
                            HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + adminPort + "/health/ready"))
                                .build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200);
  }

  public int port() {
    return port;
  }

  public int adminPort() {
    return adminPort;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
