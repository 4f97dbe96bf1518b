package dev.tollgate.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.gateway.support.GatewayProcess;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway's own output (stdout and stderr together), as a container runtime collects
 * it: JSON lines or text from the one backend, at the level asked for, Helidon's java.util.logging
 * lines included, the access log beside it once per request, and no SLF4J warning.
 */
class GatewayLogOutputIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path configDir;

  @BeforeAll
  static void emptyConfig() {
    configDir = TempDirs.create("tollgate-log-output");
  }

  @Test
  void jsonAtDebugIsOneObjectPerLineFromEveryLibraryWithTheAccessLogOncePerRequest() {
    try (GatewayProcess gateway =
        GatewayProcess.start(
            configDir,
            List.of("-Xmx128m"),
            List.of("--log-format=json", "--log-level=debug", "--access-log=stdout"))) {
      String requestId = "log-output-" + ProcessHandle.current().pid();
      assertThat(get(gateway, requestId)).isEqualTo(404);
      await().atMost(Duration.ofSeconds(30)).until(() -> gateway.logText().contains(requestId));

      List<JsonNode> lines = parseEveryLine(gateway.logText());
      List<JsonNode> events = lines.stream().filter(l -> !l.has("log")).toList();
      assertThat(events)
          .allSatisfy(
              e -> {
                assertThat(e.path("timestamp").isNumber()).isTrue();
                assertThat(e.path("level").asText()).isIn("ERROR", "WARN", "INFO", "DEBUG");
                assertThat(e.path("loggerName").asText()).isNotEmpty();
                assertThat(e.has("formattedMessage")).isTrue();
              });
      assertThat(events).anyMatch(e -> e.path("level").asText().equals("DEBUG"));
      assertThat(events)
          .anyMatch(
              e ->
                  e.path("loggerName").asText().equals("dev.tollgate.gateway.Gateway")
                      && e.path("formattedMessage").asText().contains("listening on 127.0.0.1:"));
      // Helidon logs through System.Logger / java.util.logging: routed into the same backend
      assertThat(events).anyMatch(e -> e.path("loggerName").asText().startsWith("io.helidon."));
      List<JsonNode> access =
          lines.stream().filter(l -> l.path("requestId").asText().equals(requestId)).toList();
      assertThat(access).hasSize(1);
      assertThat(access.getFirst().path("log").asText()).isEqualTo("access");
      assertThat(access.getFirst().path("status").asInt()).isEqualTo(404);
    }
  }

  @Test
  void theLevelIsHonoredForTollgateAndItsLibraries() throws IOException {
    Path ownDir = TempDirs.create("tollgate-log-level");
    try (GatewayProcess gateway =
        GatewayProcess.start(
            ownDir, List.of("-Xmx128m"), List.of("--log-format=json", "--log-level=warn"))) {
      assertThat(get(gateway, "quiet")).isEqualTo(404);
      // a refused reload is a WARN: the one kind of line this level lets through
      Files.writeString(ownDir.resolve("broken.yaml"), "kind: [unclosed\n");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> gateway.logText().contains("Refused configuration"));
      List<JsonNode> events = parseEveryLine(gateway.logText());
      assertThat(events)
          .allSatisfy(e -> assertThat(e.path("level").asText()).isIn("ERROR", "WARN"))
          .anyMatch(
              e ->
                  e.path("loggerName")
                      .asText()
                      .equals("dev.tollgate.gateway.config.ConfigApplier"));
    }
  }

  @Test
  void textByDefaultWithoutAnySlf4jWarning() {
    try (GatewayProcess gateway = GatewayProcess.start(configDir, List.of("-Xmx128m"))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> gateway.logText().contains("Tollgate gateway listening"));
      String log = gateway.logText();
      assertThat(log).doesNotContain("SLF4J");
      assertThat(log.lines())
          .isNotEmpty()
          .allMatch(
              l ->
                  l.matches(
                      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO |WARN ) .*"));
      assertThat(log).contains("INFO  dev.tollgate.gateway.Gateway - Tollgate gateway listening");
    }
  }

  /**
   * Helidon logs a warning with a stack trace of some forty lines for each HTTP/2 request whose
   * method is no token, and closes only that connection: a client looping over connections would
   * write megabytes of log a second. Each server logger writes ten warnings a minute at most.
   */
  @Test
  void aClientCannotFloodTheLogThroughTheServersWarnings() {
    try (GatewayProcess gateway =
        GatewayProcess.start(configDir, List.of("-Xmx128m"), List.of("--log-format=json"))) {
      String url = "http://127.0.0.1:" + gateway.port() + "/nowhere";
      List<String> curl =
          new ArrayList<>(
              List.of("curl", "-s", "-o", "/dev/null", "--http2-prior-knowledge", "-X", "GE(T"));
      curl.addAll(Collections.nCopies(30, url));
      // each request ends its connection with GOAWAY, so curl fails; it goes on to the next URL
      ExternalCommand.run(Duration.ofSeconds(60), curl);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> gateway.logText().contains("more are suppressed"));
      List<JsonNode> events = parseEveryLine(gateway.logText());
      assertThat(events)
          .filteredOn(
              e -> e.path("loggerName").asText().equals("io.helidon.webserver.ConnectionHandler"))
          .hasSize(10)
          .allSatisfy(e -> assertThat(e.path("level").asText()).isEqualTo("WARN"));
    }
  }

  private static int get(GatewayProcess gateway, String requestId) {
    try {
      return LoopbackHttp.client()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/nowhere"))
                  .header("X-Request-Id", requestId)
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<JsonNode> parseEveryLine(String log) {
    assertThat(log).isNotBlank();
    return log.lines()
        .map(
            line -> {
              try {
                JsonNode node = JSON.readTree(line);
                assertThat(node.isObject()).as(line).isTrue();
                return node;
              } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
              }
            })
        .toList();
  }
}
