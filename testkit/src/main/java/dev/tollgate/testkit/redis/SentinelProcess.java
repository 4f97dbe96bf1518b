package dev.tollgate.testkit.redis;

import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.TempDirs;
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
public final class SentinelProcess implements AutoCloseable {
  public static final String MASTER_NAME = "mymaster";

  private final int port = FreePort.pick();
  private final Path dir = TempDirs.create("tollgate-sentinel-");
  private final Process process;

  public SentinelProcess(RedisServer master) {
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
  public boolean knowsMaster() {
    return ExternalCommand.run(
            Duration.ofSeconds(5),
            List.of(
                "redis-cli", "-p", "" + port, "SENTINEL", "get-master-addr-by-name", MASTER_NAME))
        .output()
        .contains("127.0.0.1");
  }

  /** {@code redis-sentinel://127.0.0.1:<port>#mymaster}. */
  public String uri() {
    return "redis-sentinel://" + address() + "#" + MASTER_NAME;
  }

  /** {@code 127.0.0.1:<port>}, for a URL that lists several sentinels. */
  public String address() {
    return "127.0.0.1:" + port;
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
