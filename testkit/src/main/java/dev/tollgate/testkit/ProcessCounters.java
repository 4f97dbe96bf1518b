package dev.tollgate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What Linux's {@code /proc} counts for a process, for the benchmarks to print per request: its CPU
 * time, its threads' context switches, its resident memory, and the machine's load average.
 */
public final class ProcessCounters {
  private ProcessCounters() {}

  /** utime + stime of a process, in clock ticks (10 ms: USER_HZ is 100 on Linux). */
  public static long cpuTicks(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // the fields after the command's closing parenthesis start with the state, field 3 of stat:
    // utime (14) and stime (15) are at [11] and [12]
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * Voluntary and involuntary context switches summed over the process's live threads: each is a
   * thread leaving a core (to wait, or preempted), the cost a request pays for every hand-off
   * between threads on a shared machine.
   */
  public static long contextSwitches(long pid) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks.mapToLong(ProcessCounters::threadContextSwitches).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static long rssKiB(long pid) {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    return field(lines(status), status, "VmRSS:");
  }

  /** The 1, 5 and 15 minute load averages: how much of the machine a run had. */
  public static String loadAverage() {
    String[] fields = read(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + ", " + fields[1] + ", " + fields[2];
  }

  private static long threadContextSwitches(Path task) {
    Path status = task.resolve("status");
    List<String> lines;
    try {
      lines = lines(status);
    } catch (UncheckedIOException e) {
      // the thread ended between the listing and the read: its switches left with it
      return 0;
    }
    return field(lines, status, "voluntary_ctxt_switches:")
        + field(lines, status, "nonvoluntary_ctxt_switches:");
  }

  /** The number a {@code status} line starts with after its name (kB for memory fields). */
  private static long field(List<String> lines, Path status, String name) {
    return lines.stream()
        .filter(line -> line.startsWith(name))
        .mapToLong(line -> Long.parseLong(line.substring(name.length()).strip().split(" ")[0]))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(status + " has no " + name));
  }

  private static List<String> lines(Path path) {
    try {
      return Files.readAllLines(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path path) {
    try {
      return Files.readString(path).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
