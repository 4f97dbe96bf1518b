package dev.tollgate.e2e.system;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.LogFiles;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.ProcessCounters;
import dev.tollgate.testkit.RepositoryFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * One gateway pod, as close to the real thing as a test machine allows: {@code java -jar
 * gateway/target/tollgate-gateway.jar} with only the environment the chart would give it (Redis
 * URL, gateway name, {@code HOSTNAME} = pod name), on free loopback ports. Host names resolve
 * through the test's hosts file ({@code -Djdk.net.hosts.file}), so a Service's FQDN endpoint can
 * lead to an upstream on 127.0.0.1, which Kubernetes itself refuses in EndpointSlices.
 */
final class GatewayJar implements AutoCloseable {
  private static final int LOG_TAIL_LINES = 40;
  private static final Pattern QUOTA = Pattern.compile(";q=(\\d+)");

  private final String podId;
  private final Process process;
  private final Path log;
  private final int port;
  private final int adminPort;

  private GatewayJar(String podId, Process process, Path log, int port, int adminPort) {
    this.podId = podId;
    this.process = process;
    this.log = log;
    this.port = port;
    this.adminPort = adminPort;
  }

  /**
   * The gateway as it ships; the system property {@code tollgate.gateway.jar} points elsewhere (a
   * jar built from another checkout, to compare two builds with the benchmark).
   */
  static Path jar() {
    String override = System.getProperty("tollgate.gateway.jar");
    Path jar =
        override != null
            ? Path.of(override)
            : RepositoryFiles.find("gateway").resolve("target/tollgate-gateway.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it first (./mvnw -pl gateway -am package -DskipTests)");
    }
    return jar;
  }

  /**
   * @param dir where the log goes (the caller deletes it)
   */
  static GatewayJar start(
      String podId, String redisUri, String gatewayName, Path hostsFile, Path dir) {
    return start(podId, redisUri, gatewayName, hostsFile, dir, "256m", Map.of());
  }

  /**
   * @param env settings added to (or replacing) the defaults, e.g. {@code TOLLGATE_ACCESS_STREAM}
   */
  static GatewayJar start(
      String podId,
      String redisUri,
      String gatewayName,
      Path hostsFile,
      Path dir,
      Map<String, String> env) {
    return start(podId, redisUri, gatewayName, hostsFile, dir, "256m", env);
  }

  /**
   * @param heap the JVM's {@code -Xmx} (a configuration of 20,000 resources needs more than the 256
   *     MB a small one runs in)
   * @param env settings added to (or replacing) the ones below
   */
  static GatewayJar start(
      String podId,
      String redisUri,
      String gatewayName,
      Path hostsFile,
      Path dir,
      String heap,
      Map<String, String> env) {
    int port = FreePort.pick();
    int adminPort = FreePort.pick();
    Path log = dir.resolve(podId + ".log");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx" + heap,
                    "-Djdk.net.hosts.file=" + hostsFile,
                    "-jar",
                    jar().toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().clear();
    builder
        .environment()
        .putAll(
            Map.of(
                "HOSTNAME",
                podId,
                "TOLLGATE_BIND_ADDRESS",
                "127.0.0.1",
                "TOLLGATE_PORT",
                Integer.toString(port),
                "TOLLGATE_ADMIN_PORT",
                Integer.toString(adminPort),
                "TOLLGATE_REDIS_URL",
                redisUri,
                "TOLLGATE_GATEWAY_NAME",
                gatewayName,
                "TOLLGATE_DRAIN_TIMEOUT",
                "2s",
                // The first decisions of a cold JVM on a busy 2-core machine can miss the 50 ms
                // default; a late answer turns into 503 (failureMode: closed) and would spoil the
                // exact counts these tests assert.
                "TOLLGATE_LIMITER_TIMEOUT",
                "2s"));
    builder.environment().putAll(env);
    try {
      return new GatewayJar(podId, builder.start(), log, port, adminPort);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start gateway " + podId, e);
    }
  }

  String podId() {
    return podId;
  }

  /** The public (proxy) port. */
  int port() {
    return port;
  }

  HttpResponse<String> get(String path) {
    return LoopbackHttp.get(port, path);
  }

  HttpResponse<String> admin(String path) {
    return LoopbackHttp.get(adminPort, path);
  }

  /** Ready per {@code /health/ready}; false while the process is still starting. */
  boolean ready() {
    try {
      return admin("/health/ready").statusCode() == 200;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /**
   * The quota of the first limit the gateway applies to {@code path}, read from outside as a client
   * would: the {@code q} of the answer's {@code RateLimit-Policy} field; empty when no limit
   * applies.
   */
  OptionalInt enforcedQuota(String path) {
    return get(path)
        .headers()
        .firstValue("RateLimit-Policy")
        .map(QUOTA::matcher)
        .filter(Matcher::find)
        .map(m -> OptionalInt.of(Integer.parseInt(m.group(1))))
        .orElse(OptionalInt.empty());
  }

  /** Waits until the gateway is ready; fails with its log when it dies or takes too long. */
  void awaitReady(Duration timeout) {
    try {
      await().atMost(timeout).failFast(() -> !isAlive()).until(this::ready);
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      throw new IllegalStateException(podId + " not ready in " + timeout + ":\n" + logTail(), e);
    }
  }

  /** {@code /admin/config}, parsed; {@code loaded} is false until a configuration is served. */
  JsonNode config() {
    try {
      return ApiJson.mapper().readTree(admin("/admin/config").body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The process's resident memory in MB, from {@code /proc}. */
  long residentMegabytes() {
    return ProcessCounters.rssKiB(process.pid()) / 1024;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the pod dies without any chance to clean up (its Redis key must expire). */
  void kill() {
    process.destroyForcibly();
    awaitExit();
  }

  /** The last lines the gateway printed, for failure messages. */
  String logTail() {
    return LogFiles.tail(log, LOG_TAIL_LINES);
  }

  /** SIGTERM, as Kubernetes stops a pod: the gateway drains and withdraws its Redis key. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      awaitExit();
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
