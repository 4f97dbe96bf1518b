package dev.tollgate.testkit.redis;

import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.LogFiles;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * One real Redis Sentinel ({@code redis-server --sentinel}, the same binary Debian's {@code
 * redis-sentinel} links to, without that package's system service) on a free loopback port,
 * monitoring a master as {@code mymaster}. Sentinel rewrites its config file, so it gets its own
 * temp dir.
 *
 * <p>Timings are short so failovers fit a test: the master counts as down after {@value
 * #DOWN_AFTER_MILLIS} ms without an answer (the Redis default is 30 s), and a failover that has not
 * finished in {@value #FAILOVER_TIMEOUT_MILLIS} ms is retried.
 */
public final class SentinelProcess implements AutoCloseable {
  public static final String MASTER_NAME = "mymaster";
  public static final int DOWN_AFTER_MILLIS = 1000;
  public static final int FAILOVER_TIMEOUT_MILLIS = 5000;

  private final int port = FreePort.pick();
  private final Path dir = TempDirs.create("tollgate-sentinel-");
  private final Process process;

  /** A lone sentinel (quorum 1) watching {@code master}. */
  public SentinelProcess(RedisServer master) {
    this(master.port(), 1);
  }

  /**
   * @param quorum sentinels that must agree the master is down before a failover starts
   */
  public SentinelProcess(int masterPort, int quorum) {
    Path config = dir.resolve("sentinel.conf");
    try {
      Files.writeString(
          config,
          String.join(
              "\n",
              "port " + port,
              "bind 127.0.0.1",
              "dir " + dir,
              "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + masterPort + " " + quorum,
              "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MILLIS,
              "sentinel failover-timeout " + MASTER_NAME + " " + FAILOVER_TIMEOUT_MILLIS,
              "sentinel parallel-syncs " + MASTER_NAME + " 1",
              ""));
      process =
          new ProcessBuilder("redis-server", config.toString(), "--sentinel")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("sentinel.log").toFile())
              .start();
    } catch (IOException e) {
      TempDirs.deleteRecursively(dir);
      throw new UncheckedIOException("cannot start redis sentinel", e);
    }
  }

  /** True once the sentinel answers with the master's address. */
  public boolean knowsMaster() {
    return masterPort().isPresent();
  }

  /** The port of the master this sentinel currently names, if it answers. */
  public OptionalInt masterPort() {
    String[] reply = cli("SENTINEL", "get-master-addr-by-name", MASTER_NAME).split("\\s+");
    return reply.length == 2 && reply[0].equals("127.0.0.1") && reply[1].matches("\\d+")
        ? OptionalInt.of(Integer.parseInt(reply[1]))
        : OptionalInt.empty();
  }

  /** {@code redis-cli} against this sentinel; empty output when it does not answer. */
  public String cli(String... args) {
    List<String> command =
        new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", "" + port));
    command.addAll(List.of(args));
    ExternalCommand.Result result = ExternalCommand.run(Duration.ofSeconds(5), command);
    return result.succeeded() ? result.output().strip() : "";
  }

  /** The last {@code lines} lines of this sentinel's log (its events: +sdown, +tilt, ...). */
  public String logTail(int lines) {
    return LogFiles.tail(dir.resolve("sentinel.log"), lines);
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
