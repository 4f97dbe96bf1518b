package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.OperatorFixture.apply;
import static dev.tollgate.operator.it.OperatorFixture.patience;
import static dev.tollgate.operator.it.OperatorFixture.resource;
import static dev.tollgate.operator.it.OperatorFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.config.OperatorSettings;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged artifact: {@code java -jar target/tollgate-operator.jar} configured only by
 * environment variables (as the Helm chart runs it) serves probes and metrics, writes the snapshot,
 * and stops cleanly on SIGTERM.
 */
class OperatorJarIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  private static final Path JAR = Path.of("target", "tollgate-operator.jar");

  @Test
  void runsFromTheJarWithEnvironmentVariablesOnly() throws Exception {
    OperatorFixture.installCrds(KUBE.api());
    String namespace = KUBE.api().createNamespace("jar");
    int port = FreePort.pick();
    Map<String, String> env = OperatorFixture.settings(REDIS.server(), namespace);
    env.put(OperatorSettings.HTTP_PORT, Integer.toString(port));
    env.put(OperatorSettings.LEADER_ELECTION, "true");
    env.put(OperatorSettings.LEASE_NAMESPACE, namespace);
    env.put("KUBECONFIG", KUBE.api().kubeConfigFile().toString());
    env.put("TOLLGATE_LOG_FORMAT", "json");
    Path log = Files.createTempFile("tollgate-operator", ".log");
    Process process = startJar(env, log);
    try (HttpClient http = HttpClient.newHttpClient()) {
      await()
          .atMost(patience())
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(() -> get(http, port, "/health/ready").statusCode() == 200);

      apply(KUBE.api(), namespace, resource("orders.yaml"));
      await()
          .atMost(patience())
          .untilAsserted(() -> assertThat(snapshot(REDIS.server()).get("policies")).hasSize(1));

      String metrics = get(http, port, "/metrics").body();
      assertThat(metrics)
          .contains("tollgate_operator_snapshot_writes_total{result=\"written\"}")
          .contains("tollgate_operator_snapshot_version")
          .contains("tollgate_operator_leader 1.0")
          .contains("tollgate_operator_gateways_live");
      System.out.println(
          metrics.lines().filter(l -> l.startsWith("# HELP")).reduce("", (a, b) -> a + b + "\n"));
      assertThat(get(http, port, "/health/live").body()).isEqualTo("UP");
    } finally {
      process.destroy();
      boolean exited = process.waitFor(20, TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly();
      }
      String output = Files.readString(log);
      System.out.println(output);
      Files.deleteIfExists(log);
      assertThat(exited).as("operator exits on SIGTERM").isTrue();
      // one backend for the operator, JOSDK, Fabric8 and Lettuce: JSON lines only, no SLF4J
      // warning about a missing or second provider
      assertThat(output.lines())
          .isNotEmpty()
          .allSatisfy(line -> assertThat(new ObjectMapper().readTree(line).isObject()).isTrue());
      assertThat(output)
          .doesNotContain("SLF4J")
          .contains("\"loggerName\":\"dev.tollgate.operator.TollgateOperator\"");
    }
  }

  @Test
  void exitsWithCode2NamingTheSettingThatIsInvalid() throws Exception {
    Map<String, String> env = OperatorFixture.settings(REDIS.server(), "jar");
    env.put(OperatorSettings.DEBOUNCE, "0s");
    Path log = Files.createTempFile("tollgate-operator", ".log");
    Process process = startJar(env, log);
    try {
      boolean exited = process.waitFor(20, TimeUnit.SECONDS);
      String output = Files.readString(log);

      assertThat(exited).as(output).isTrue();
      assertThat(process.exitValue()).as(output).isEqualTo(2);
      assertThat(output).contains(OperatorSettings.DEBOUNCE).doesNotContain("Exception");
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  /** {@code java -jar} with only {@code env} added to this process's environment. */
  private static Process startJar(Map<String, String> env, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(List.of(java, "-jar", JAR.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
