package dev.tollgate.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The benchmarks' counters, read from this JVM's own {@code /proc} entries. */
class ProcessCountersTest {
  private static final long SELF = ProcessHandle.current().pid();

  @Test
  void cpuTicksGrowWhileThisProcessComputes() {
    long before = ProcessCounters.cpuTicks(SELF);
    long spins = 0;
    // a tick is 10 ms of CPU; spin until one more is counted (the test's own timeout bounds it)
    while (ProcessCounters.cpuTicks(SELF) == before) {
      spins++;
    }
    assertThat(spins).isPositive();
    assertThat(ProcessCounters.cpuTicks(SELF)).isGreaterThan(before);
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
