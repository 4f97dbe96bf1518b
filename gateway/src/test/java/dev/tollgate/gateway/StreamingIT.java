package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.gateway.support.GatewayProcess;
import dev.tollgate.gateway.support.PatternStream;
import dev.tollgate.gateway.support.PatternStream.CountingCrc;
import dev.tollgate.gateway.support.Routes;
import dev.tollgate.gateway.support.TestUpstream;
import dev.tollgate.testkit.TempDirs;
import io.helidon.http.HeaderNames;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 200 MB bodies pass through a packaged gateway whose heap is capped at 48 MB, a quarter of the
 * body: any buffering of a whole body would end in OutOfMemoryError. Content is checked by CRC.
 */
class StreamingIT {
  private static final long BODY = 200L * 1024 * 1024;
  private static final long SEED = 42;
  private static final String HEAP_CAP = "-Xmx48m";

  private static TestUpstream upstream;
  private static Path configDir;
  private static GatewayProcess gateway;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    upstream =
        TestUpstream.start(
            "stream",
            (req, res) -> {
              if (req.prologue().uriPath().rawPath().equals("/download")) {
                res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(BODY));
                try (InputStream in = new PatternStream(BODY, SEED);
                    OutputStream out = res.outputStream()) {
                  in.transferTo(out);
                }
              } else {
                CountingCrc received = CountingCrc.of(req.content().inputStream());
                res.send(
                    (received.bytes() + " " + received.crc()).getBytes(StandardCharsets.UTF_8));
              }
            });
    configDir = TempDirs.create("tollgate-stream");
    Files.writeString(
        configDir.resolve("routes.yaml"),
        Routes.route(
            "stream",
            """
            match:
              pathPrefix: /
            backend:
              endpoints: [%s]
              timeout: 60s
            """
                .formatted(upstream.url())));
    gateway = GatewayProcess.start(configDir, List.of(HEAP_CAP));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    TempDirs.deleteRecursively(configDir);
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + gateway.port() + path);
  }

  @Test
  void downloadsTwoHundredMegabytesThroughACappedHeap() throws Exception {
    HttpResponse<InputStream> response =
        HTTP.send(
            HttpRequest.newBuilder(uri("/download")).timeout(Duration.ofMinutes(2)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(BODY);
    CountingCrc received = CountingCrc.of(response.body());
    assertThat(received.bytes()).isEqualTo(BODY);
    assertThat(received.crc()).isEqualTo(PatternStream.crcOf(BODY, SEED));
    assertThat(gateway.isAlive()).isTrue();
    assertThat(gateway.logText()).doesNotContain("OutOfMemoryError");
  }

  @Test
  void uploadsTwoHundredMegabytesChunkedThroughACappedHeap() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri("/upload"))
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(BODY, SEED)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertUploaded(response);
  }

  @Test
  void uploadsTwoHundredMegabytesWithContentLengthThroughACappedHeap() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri("/upload"))
                .timeout(Duration.ofMinutes(2))
                .POST(
                    HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> new PatternStream(BODY, SEED)),
                        BODY))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertUploaded(response);
  }

  private static void assertUploaded(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(BODY + " " + PatternStream.crcOf(BODY, SEED));
    assertThat(gateway.isAlive()).isTrue();
    assertThat(gateway.logText()).doesNotContain("OutOfMemoryError");
  }
}
