package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.snapshot.ConfigSnapshot;
import dev.tollgate.api.snapshot.SnapshotRoute;
import dev.tollgate.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DirectoryConfigSourceTest {
  private static final Duration POLL = Duration.ofMillis(20);
  // long against the test's own pauses, so a slow machine cannot make the file look settled
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private final Path dir = TempDirs.create("tollgate-dir-source");
  private final RecordingSink sink = new RecordingSink();

  @AfterEach
  void deleteDirectory() {
    TempDirs.deleteRecursively(dir);
  }

  @Test
  void aFileRewrittenInPlaceIsNotTakenWhileItIsBeingWritten() throws Exception {
    Path file = dir.resolve("routes.yaml");
    Files.writeString(file, route("orders"));
    try (DirectoryConfigSource source = new DirectoryConfigSource(dir, POLL, SETTLE)) {
      source.start(sink);
      assertThat(sink.loads).containsExactly(List.of("orders"));

      // a tool writing in place: the file is empty (and valid) for a moment, then complete
      Files.writeString(file, "");
      Thread.sleep(10 * POLL.toMillis());
      Files.writeString(file, route("orders") + "---\n" + route("payments"));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sink.loads.getLast().equals(List.of("orders", "payments")));
      assertThat(sink.loads).containsExactly(List.of("orders"), List.of("orders", "payments"));
    }
  }

  @Test
  void aFileThatStaysEmptyIsTakenOnceSettled() throws Exception {
    Path file = dir.resolve("routes.yaml");
    Files.writeString(file, route("orders"));
    try (DirectoryConfigSource source =
        new DirectoryConfigSource(dir, POLL, Duration.ofMillis(100))) {
      source.start(sink);

      Files.writeString(file, "");

      await().atMost(Duration.ofSeconds(20)).until(() -> sink.loads.getLast().isEmpty());
    }
  }

  private static String route(String name) {
    return """
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata: {name: %s, namespace: shop}
        spec:
          match: {pathPrefix: /%s}
          backend: {endpoints: ["http://127.0.0.1:18081"]}
        """
        .formatted(name, name);
  }

  /** The route names of every snapshot offered, in order (and each refusal, as its message). */
  private static final class RecordingSink implements ConfigSink {
    final List<List<String>> loads = new CopyOnWriteArrayList<>();

    @Override
    public LoadOutcome offer(
        ConfigSnapshot snapshot,
        Rejections unreadable,
        String origin,
        SourceLocations locations,
        Refusal refusal) {
      loads.add(snapshot.routes().stream().map(SnapshotRoute::name).toList());
      return LoadOutcome.applied(new Rejections());
    }

    @Override
    public void refuse(String origin, ConfigValidationException problems) {
      loads.add(List.of("refused: " + problems.getMessage()));
    }
  }
}
