package dev.tollgate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisTransportTest {

  /** Epoll ships for Linux x86-64 only; elsewhere NIO is the expected transport, not a failure. */
  @Test
  void linuxX86ConnectionsUseEpoll() {
    assertThat(RedisTransport.current())
        .isEqualTo(RedisTransport.isLinuxX86() ? RedisTransport.EPOLL : RedisTransport.NIO);
  }

  /**
   * Netty unpacks epoll's library into its work directory before loading it; where it cannot, the
   * process runs on NIO, and the log says why. A JVM of its own: Netty loads the library once.
   */
  @Test
  void withoutAWritableWorkDirectoryTheFallbackToNioIsLogged(@TempDir Path dir)
      throws IOException, InterruptedException {
    // under a regular file: no directory can be made there, not even by root
    Path missing = Files.createFile(dir.resolve("file")).resolve("work");
    Process probe =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "-Dio.netty.native.workdir=" + missing,
                    "-Djava.io.tmpdir=" + missing,
                    "-Djava.library.path=" + missing,
                    TransportProbe.class.getName()))
            .redirectErrorStream(true)
            .start();
    String output;
    try {
      assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
      output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      probe.destroyForcibly();
    }

    assertThat(output).contains("transport: NIO");
    if (RedisTransport.isLinuxX86()) {
      assertThat(output)
          .contains("Redis connections use the NIO transport: epoll did not load")
          .contains("writable, executable java.io.tmpdir");
    } else {
      assertThat(output).contains("epoll ships for Linux x86-64 only");
    }
  }

  /** Run in the child JVM. */
  static final class TransportProbe {
    public static void main(String[] args) {
      RedisTransport.tellOnce();
      System.out.println("transport: " + RedisTransport.current());
    }
  }
}
