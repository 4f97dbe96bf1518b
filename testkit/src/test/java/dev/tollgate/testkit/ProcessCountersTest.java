package dev.tollgate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmarks' counters, read from this JVM's own {@code /proc} entries. */
class ProcessCountersTest {
  private static final long SELF = ProcessHandle.current().pid();

  /** Ticks are 10 ms: 300 ms of CPU, as the JVM counts it, must read as at least 20 of them. */
  @Test
  @Timeout(30)
  void cpuTicksCountThisProcesssCpuTimeInTensOfMilliseconds() {
    long before = ProcessCounters.cpuTicks(SELF);
    Duration start = cpuTime();
    while (cpuTime().minus(start).compareTo(Duration.ofMillis(300)) < 0) {
      Thread.onSpinWait();
    }
    assertThat(ProcessCounters.cpuTicks(SELF) - before).isBetween(20L, 3_000L);
  }

  private static Duration cpuTime() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow();
  }

  @Test
  void contextSwitchesCountEveryWaitOfALiveThread() throws InterruptedException {
    long before = ProcessCounters.contextSwitches(SELF);
    for (int i = 0; i < 100; i++) {
      Thread.sleep(1); // this platform thread leaves its core: a voluntary switch each time
    }
    assertThat(ProcessCounters.contextSwitches(SELF) - before).isGreaterThanOrEqualTo(100);
  }

  @Test
  void rssIsThisJvmsResidentMemory() {
    long heapInUseKiB =
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1024;
    assertThat(ProcessCounters.rssKiB(SELF)).isGreaterThan(heapInUseKiB / 2);
  }

  @Test
  void loadAverageHasItsThreeFigures() {
    assertThat(ProcessCounters.loadAverage()).matches("\\d+\\.\\d+, \\d+\\.\\d+, \\d+\\.\\d+");
  }

  @Test
  void aProcessThatIsGoneIsAnError() {
    long gone = ProcessHandle.current().pid() + 4_000_000;
    assertThatThrownBy(() -> ProcessCounters.cpuTicks(gone))
        .isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> ProcessCounters.contextSwitches(gone))
        .isInstanceOf(UncheckedIOException.class);
  }
}
