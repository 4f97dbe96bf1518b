package dev.tollgate.e2e.sync;

import static org.awaitility.Awaitility.await;

import dev.tollgate.testkit.FreePort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A gateway started from its jar with the environment a pod gets (Redis URL, gateway name, pod name
 * in {@code HOSTNAME}), on loopback; the benchmark reads from its answers which limit it enforces:
 * the {@code q} of the {@code RateLimit-Policy} field.
 */
final class GatewayProcess implements AutoCloseable {
  private static final Pattern QUOTA = Pattern.compile(";q=(\\d+)");

  private final Process process;
  private final Path log;
  private final URI probe;
  private final URI ready;
  private final HttpClient http = HttpClient.newHttpClient();

  private GatewayProcess(Process process, Path log, int port, int adminPort, String path) {
    this.process = process;
    this.log = log;
    this.probe = URI.create("http://127.0.0.1:" + port + path);
    this.ready = URI.create("http://127.0.0.1:" + adminPort + "/health/ready");
  }

  /**
   * @param probePath the request whose answer shows the enforced quota
   */
  static GatewayProcess start(Path jar, String redisUri, String podId, String probePath)
      throws IOException {
    int port = FreePort.pick();
    int adminPort = FreePort.pick();
    Path log = Files.createTempFile("tollgate-" + podId, ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-jar",
                    jar.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("HOSTNAME", podId);
    builder.environment().put("TOLLGATE_REDIS_URL", redisUri);
    builder.environment().put("TOLLGATE_BIND_ADDRESS", "127.0.0.1");
    builder.environment().put("TOLLGATE_PORT", Integer.toString(port));
    builder.environment().put("TOLLGATE_ADMIN_PORT", Integer.toString(adminPort));
    return new GatewayProcess(builder.start(), log, port, adminPort, probePath);
  }

  /** Waits until the gateway serves a config from Redis; throws with its log otherwise. */
  void awaitReady(Duration timeout) throws IOException {
    try {
      await()
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(50))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(ready).build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200);
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "gateway not ready in " + timeout + ":\n" + Files.readString(log), e);
    }
  }

  /** The quota of the first limit the gateway applied to the probe request, if any. */
  OptionalInt enforcedQuota() throws IOException, InterruptedException {
    HttpResponse<Void> answer =
        http.send(HttpRequest.newBuilder(probe).build(), HttpResponse.BodyHandlers.discarding());
    return answer
        .headers()
        .firstValue("RateLimit-Policy")
        .map(QUOTA::matcher)
        .filter(Matcher::find)
        .map(m -> OptionalInt.of(Integer.parseInt(m.group(1))))
        .orElse(OptionalInt.empty());
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    http.close();
    Files.deleteIfExists(log);
  }
}
