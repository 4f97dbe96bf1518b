package dev.tollgate.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading the log files of processes a test started, for failure messages. */
public final class LogFiles {
  private LogFiles() {}

  /** The last {@code lines} lines of {@code log}, or a note saying why there are none. */
  public static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log " + log + ": " + e + ")";
    }
  }
}
