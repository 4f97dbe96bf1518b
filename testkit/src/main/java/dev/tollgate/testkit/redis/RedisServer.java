package dev.tollgate.testkit.redis;

import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.LogFiles;
import dev.tollgate.testkit.TempDirs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One real {@code redis-server} process on a free loopback port, without persistence, in its own
 * temp directory. Tests use it to inject faults: {@link #kill()} (crash, state lost), {@link
 * #restart()} (same port, empty), {@link #pause()} / {@link #resume()} (a hung server: connections
 * stay open, nothing answers).
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  private final int port;
  private final List<String> extraArgs;
  private final Path dir;
  private Process process;

  private RedisServer(int port, List<String> extraArgs) {
    this.port = port;
    this.extraArgs = List.copyOf(extraArgs);
    this.dir = TempDirs.create("tollgate-redis-" + port + "-");
  }

  /** Starts a standalone server with a limiter-friendly eviction policy. */
  public static RedisServer start() {
    return start(List.of());
  }

  /** Starts a server with extra {@code redis-server} arguments, e.g. cluster settings. */
  public static RedisServer start(List<String> extraArgs) {
    RedisServer server = new RedisServer(FreePort.pick(), extraArgs);
    server.launch();
    return server;
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  /** A Lettuce/Tollgate URL for this server. */
  public String uri() {
    return "redis://" + host() + ":" + port;
  }

  private Optional<String> password() {
    int index = extraArgs.indexOf("--requirepass");
    return index >= 0 && index + 1 < extraArgs.size()
        ? Optional.of(extraArgs.get(index + 1))
        : Optional.empty();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Crashes the server (SIGKILL): clients see connection resets, all data is gone. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      waitForExit();
    }
  }

  /** Starts the server again on the same port after {@link #kill()} or {@link #stop()}. */
  public void restart() {
    kill();
    launch();
  }

  /** Freezes the process (SIGSTOP): connects succeed at the TCP level but nothing answers. */
  public void pause() {
    signal("STOP");
  }

  /** Thaws a {@link #pause() paused} server. */
  public void resume() {
    signal("CONT");
  }

  /** Runs a command through {@code redis-cli} against this server and returns its output. */
  public String cli(String... args) {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-h", host(), "-p", "" + port));
    password().ifPresent(password -> command.addAll(List.of("--no-auth-warning", "-a", password)));
    command.addAll(List.of(args));
    return ExternalCommand.run(Duration.ofSeconds(30), command).orThrow().output().strip();
  }

  /** The last {@code lines} lines of this server's log, across restarts. */
  public String logTail(int lines) {
    return LogFiles.tail(logFile(), lines);
  }

  public void stop() {
    if (process != null && process.isAlive()) {
      resume();
      process.destroy();
      waitForExit();
    }
  }

  @Override
  public void close() {
    stop();
    TempDirs.deleteRecursively(dir);
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add("redis-server");
    // A config file of its own, so CONFIG REWRITE (which Sentinel sends when it promotes or demotes
    // this server) succeeds and a restarted server comes back in the role Sentinel gave it.
    command.add(configFile().toString());
    command.addAll(
        List.of(
            "--port", "" + port,
            "--bind", "127.0.0.1",
            "--dir", dir.toString(),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--maxmemory-policy", "volatile-lru",
            // A master waits 5 s by default before a diskless sync, for more replicas to join it;
            // tests add replicas one at a time, so that wait only slowed every formation and
            // rejoin.
            "--repl-diskless-sync-delay", "0",
            "--logfile", ""));
    command.addAll(extraArgs);
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start redis-server (is it installed? run tools/provision.sh)", e);
    }
    awaitPong();
  }

  private void awaitPong() {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited at start:\n" + readLog());
      }
      if (answersPing()) {
        return;
      }
      sleepBriefly();
    }
    throw new IllegalStateException(
        "redis-server on port " + port + " not ready after " + STARTUP_TIMEOUT + ":\n" + readLog());
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String reply = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
      // A server started with --requirepass answers -NOAUTH: it is up all the same.
      return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
    } catch (IOException e) {
      return false;
    }
  }

  private void signal(String name) {
    if (isRunning()) {
      ExternalCommand.run(Duration.ofSeconds(5), List.of("kill", "-" + name, "" + pid())).orThrow();
    }
  }

  private void waitForExit() {
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Path configFile() {
    Path config = dir.resolve("redis.conf");
    try {
      if (!Files.exists(config)) {
        Files.writeString(config, "# written by CONFIG REWRITE\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return config;
  }

  private Path logFile() {
    return dir.resolve("redis.log");
  }

  private String readLog() {
    return logTail(Integer.MAX_VALUE);
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }
}
