package dev.tollgate.gateway.support;

import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.Gateway;
import dev.tollgate.gateway.GatewayMain;
import dev.tollgate.gateway.GatewaySettings;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real gateway on free loopback ports, configured from a temp directory the test writes YAML
 * into. Requests go through the JDK HTTP client (a separate implementation from the gateway's).
 */
public final class GatewayFixture implements AutoCloseable {
  private final Path configDir;
  private final Gateway gateway;
  private final AutoCloseable running;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * @param running what to close: the gateway, or the gateway with its policy stages
   */
  private GatewayFixture(Path configDir, Gateway gateway, AutoCloseable running) {
    this.configDir = configDir;
    this.gateway = gateway;
    this.running = running;
  }

  /** Starts with {@code routes.yaml} = {@code yaml}; extra settings as variable → value. */
  public static GatewayFixture start(String yaml, Map<String, String> settings) {
    return start(yaml, settings, false);
  }

  /**
   * Like {@link #start(String, Map)}, wired as {@code GatewayMain} wires it: with the policy stages
   * (JWT, rate limits) reading their {@code TOLLGATE_JWT_*} / {@code TOLLGATE_LIMITER_*} settings.
   */
  public static GatewayFixture startWithPolicies(String yaml, Map<String, String> settings) {
    return start(yaml, settings, true);
  }

  private static GatewayFixture start(
      String yaml, Map<String, String> settings, boolean withPolicies) {
    Path dir = TempDirs.create("tollgate-gw");
    write(dir, "routes.yaml", yaml);
    Map<String, String> env = new HashMap<>();
    env.put("TOLLGATE_BIND_ADDRESS", "127.0.0.1");
    env.put("TOLLGATE_PORT", "0");
    env.put("TOLLGATE_ADMIN_PORT", "0");
    env.put("TOLLGATE_CONFIG_DIR", dir.toString());
    env.put("TOLLGATE_CONFIG_POLL_INTERVAL", "100ms");
    env.put("TOLLGATE_DRAIN_TIMEOUT", "5s");
    env.putAll(settings);
    GatewaySettings parsed = GatewaySettings.from(env);
    if (withPolicies) {
      GatewayMain.Running running = GatewayMain.start(parsed, Map.of());
      return new GatewayFixture(dir, running.gateway(), running);
    }
    DirectoryConfigSource source = new DirectoryConfigSource(dir, parsed.configPollInterval());
    Gateway gateway = Gateway.start(parsed, source, List.of(), List.of());
    return new GatewayFixture(dir, gateway, gateway);
  }

  public static GatewayFixture start(String yaml) {
    return start(yaml, Map.of());
  }

  /**
   * Replaces a config file atomically (write to a temp name, then move), as editors and tools do.
   */
  public void writeConfig(String file, String yaml) {
    write(configDir, file, yaml);
  }

  public void deleteConfig(String file) {
    try {
      Files.delete(configDir.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path dir, String file, String yaml) {
    try {
      Path tmp = dir.resolve("." + file + ".tmp");
      Files.writeString(tmp, yaml);
      Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Gateway gateway() {
    return gateway;
  }

  public int port() {
    return gateway.port();
  }

  public int adminPort() {
    return gateway.adminPort();
  }

  public int httpsPort() {
    return gateway.httpsPort();
  }

  /**
   * Waits until no request is in flight. A client has its response before the gateway's handler has
   * given its in-flight slot back, so a test that counts slots right after a response (or sends the
   * next request under a cap of one) waits for this first.
   */
  public void awaitNoRequestInFlight() {
    await("no request in flight")
        .atMost(Duration.ofSeconds(30))
        .until(() -> gateway.requestsInFlight() == 0);
  }

  public long configVersion() {
    return gateway.config().current().orElseThrow().version();
  }

  public URI uri(String target) {
    return URI.create("http://127.0.0.1:" + port() + target);
  }

  public HttpResponse<String> get(String target, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(target)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.GET().build());
  }

  public HttpResponse<String> admin(String path) {
    return send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort() + path)).build());
  }

  /** The first line of {@code /metrics} that starts with {@code prefix}, e.g. a name and labels. */
  public Optional<String> metricLine(String prefix) {
    return admin("/metrics").body().lines().filter(l -> l.startsWith(prefix)).findFirst();
  }

  /** The sum of {@code name}'s samples whose labels include {@code label}; 0 when there is none. */
  public double metricSum(String name, String label) {
    return admin("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> line.contains(label))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    try {
      running.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the gateway failed", e);
    }
    TempDirs.deleteRecursively(configDir);
  }
}
