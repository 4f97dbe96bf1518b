package dev.tollgate.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DebounceWindowTest {
  private static final long MS = 1_000_000;
  private final DebounceWindow window =
      new DebounceWindow(Duration.ofMillis(150), Duration.ofMillis(1000));

  @Test
  void singleChangeRunsAfterTheQuietPeriod() {
    assertThat(window.changed(0)).isEqualTo(150 * MS);
  }

  @Test
  void eachChangeInABurstPostponesTheRun() {
    window.changed(0);
    assertThat(window.changed(100 * MS)).isEqualTo(250 * MS);
  }

  @Test
  void aSteadyStreamOfChangesStillRunsAtTheMaximumDelay() {
    long runAt = 0;
    for (long t = 0; t <= 2000; t += 50) {
      runAt = window.changed(t * MS);
    }
    assertThat(runAt).isEqualTo(1000 * MS);
  }

  @Test
  void aChangeAfterTheRunOpensANewBurst() {
    window.changed(0);
    window.closed();
    assertThat(window.changed(5000 * MS)).isEqualTo(5150 * MS);
  }
}
