package dev.tollgate.limiter.redis;

import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One real Redis Sentinel ({@code redis-server --sentinel}) on a free loopback port, monitoring a
 * master as {@code mymaster}. Sentinel rewrites its config file, so it gets its own temp dir.
 */
final class SentinelProcess implements AutoCloseable {
  static final String MASTER_NAME = "mymaster";

  private final int port = FreePort.pick();
  private final Path dir = TempDirs.create("tollgate-sentinel-");
  private final Process process;

  SentinelProcess(RedisServer master) {
    Path config = dir.resolve("sentinel.conf");
    try {
      Files.writeString(
          config,
          String.join(
              "\n",
              "port " + port,
              "bind 127.0.0.1",
              "dir " + dir,
              "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
              "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
              ""));
      process =
          new ProcessBuilder("redis-server", config.toString(), "--sentinel")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("sentinel.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis sentinel", e);
    }
  }

  /** True once the sentinel answers with the master's address. */
  boolean knowsMaster() {
    return ExternalCommand.run(
            Duration.ofSeconds(5),
            List.of(
                "redis-cli", "-p", "" + port, "SENTINEL", "get-master-addr-by-name", MASTER_NAME))
        .output()
        .contains("127.0.0.1");
  }

  String uri() {
    return "redis-sentinel://127.0.0.1:" + port + "#" + MASTER_NAME;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TempDirs.deleteRecursively(dir);
  }
}
