package dev.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived command to completion and returns its exit code and combined output. */
public final class ExternalCommand {
  private ExternalCommand() {}

  /** What a finished command printed (stdout and stderr interleaved) and how it exited. */
  public record Result(List<String> command, int exitCode, String output) {
    public boolean succeeded() {
      return exitCode == 0;
    }

    /** Returns this result, or throws with the command's output when it failed. */
    public Result orThrow() {
      if (!succeeded()) {
        throw new IllegalStateException(
            "command " + command + " exited with " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  public static Result run(Duration timeout, List<String> command) {
    return run(timeout, command, null);
  }

  public static Result run(Duration timeout, List<String> command, String stdin) {
    try {
      Path out = Files.createTempFile("tollgate-cmd", ".out");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
          if (stdin != null) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          throw new IllegalStateException("command " + command + " did not finish in " + timeout);
        }
        return new Result(command, process.exitValue(), Files.readString(out));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
