package dev.tollgate.gateway.ratelimit;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewaySettings;
import dev.tollgate.gateway.Observability;
import dev.tollgate.gateway.config.DirectoryConfigSource;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real gateway wired like {@code GatewayMain} (authenticate and rate-limit stages, explain on the
 * admin socket), on free loopback ports, with its standalone config in a temp directory.
 */
final class PolicyGateway implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final Path configDir;
  private final boolean ownsDir;
  private final PolicyEnforcement enforcement;
  private final Gateway gateway;

  private PolicyGateway(
      Path configDir, boolean ownsDir, PolicyEnforcement enforcement, Gateway gateway) {
    this.configDir = configDir;
    this.ownsDir = ownsDir;
    this.enforcement = enforcement;
    this.gateway = gateway;
  }

  /** A gateway on a new config directory holding {@code config.yaml} = {@code yaml}. */
  static PolicyGateway start(String yaml, Map<String, String> settings) {
    return start(yaml, settings, null);
  }

  /** The same with given tracing and access recording; null = from the settings, as in main. */
  static PolicyGateway start(
      String yaml, Map<String, String> settings, Observability observability) {
    Path dir = TempDirs.create("tollgate-policy");
    write(dir, yaml);
    return start(dir, true, settings, observability);
  }

  /** Another gateway on the same config directory (a second replica). */
  PolicyGateway replica(Map<String, String> settings) {
    return start(configDir, false, settings, null);
  }

  private static PolicyGateway start(
      Path dir, boolean ownsDir, Map<String, String> settings, Observability observability) {
    Map<String, String> env = new HashMap<>();
    env.put("TOLLGATE_BIND_ADDRESS", "127.0.0.1");
    env.put("TOLLGATE_PORT", "0");
    env.put("TOLLGATE_ADMIN_PORT", "0");
    env.put("TOLLGATE_CONFIG_DIR", dir.toString());
    env.put("TOLLGATE_CONFIG_POLL_INTERVAL", "100ms");
    env.put("TOLLGATE_DRAIN_TIMEOUT", "2s");
    env.putAll(settings);
    GatewaySettings parsed = GatewaySettings.from(env);
    PolicyEnforcement enforcement = PolicyEnforcement.create(parsed.values(), parsed.redis());
    Gateway gateway =
        Gateway.start(
            parsed,
            new DirectoryConfigSource(dir, parsed.configPollInterval()),
            enforcement.stages(),
            enforcement.extensions(),
            (routing, active) -> routing.post("/admin/explain", enforcement.explainHandler(active)),
            observability == null ? Observability.from(parsed, System.getenv()) : observability);
    return new PolicyGateway(dir, ownsDir, enforcement, gateway);
  }

  void writeConfig(String yaml) {
    write(configDir, yaml);
  }

  private static void write(Path dir, String yaml) {
    try {
      Path tmp = dir.resolve(".config.yaml.tmp");
      Files.writeString(tmp, yaml);
      Files.move(tmp, dir.resolve("config.yaml"), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long configVersion() {
    return gateway.config().current().map(c -> c.version()).orElse(-1L);
  }

  URI uri(String target) {
    return URI.create("http://127.0.0.1:" + gateway.port() + target);
  }

  URI adminUri(String target) {
    return URI.create("http://127.0.0.1:" + gateway.adminPort() + target);
  }

  HttpResponse<String> get(String target, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(target)).timeout(Duration.ofSeconds(20)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  HttpResponse<String> explain(String json) {
    return send(
        HttpRequest.newBuilder(adminUri("/admin/explain"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  HttpResponse<String> metrics() {
    return send(HttpRequest.newBuilder(adminUri("/metrics")).build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join();
  }

  static HttpClient http() {
    return HTTP;
  }

  @Override
  public void close() {
    gateway.close();
    enforcement.close();
    if (ownsDir) {
      TempDirs.deleteRecursively(configDir);
    }
  }
}
