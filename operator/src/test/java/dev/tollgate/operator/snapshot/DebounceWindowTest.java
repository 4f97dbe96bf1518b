package dev.tollgate.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebounceWindowTest {
  private static final long MS = 1_000_000;
  private final DebounceWindow window =
      new DebounceWindow(Duration.ofMillis(150), Duration.ofMillis(5000));

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
  void aSteadyStreamStillRunsAtTheMaximumDelay() {
    long runAt = 0;
    for (long t = 0; t <= 8000; t += 50) {
      runAt = window.changed(t * MS);
    }
    assertThat(runAt).isEqualTo(5000 * MS);
  }

  @Test
  void writesInQuickSuccessionAreSpacedByADoublingGap() {
    // A change every 200 ms (longer than the quiet period) for 20 s, as kubectl apply of many
    // objects produces on a busy machine; the window decides when each write happens.
    List<Long> writes = new ArrayList<>();
    long runAt = -1;
    for (long t = 0; t <= 20_000; t += 200) {
      if (runAt >= 0 && runAt <= t * MS) {
        window.closed(runAt, true);
        writes.add(runAt / MS);
        runAt = -1;
      }
      runAt = window.changed(t * MS);
    }
    window.closed(runAt, true);
    writes.add(runAt / MS);

    assertThat(writes).containsExactly(150L, 750L, 1950L, 4350L, 9150L, 14150L, 19150L, 24150L);
  }

  @Test
  void runsThatWroteNothingDoNotPaceLaterOnes() {
    for (long t = 0; t < 3000; t += 200) {
      window.closed(window.changed(t * MS), false);
    }
    assertThat(window.changed(3000 * MS)).isEqualTo(3150 * MS);
  }

  @Test
  void aWriteAfterACalmSpellResetsTheGapToItsFirstSize() {
    window.closed(window.changed(0), true); // written at 150 ms: the next one 600 ms later
    assertThat(window.changed(200 * MS)).isEqualTo(750 * MS);
    window.closed(750 * MS, true); // close to the previous write: gap 1200 ms
    assertThat(window.changed(800 * MS)).isEqualTo(1950 * MS);
    window.closed(1950 * MS, true);

    long calm = 10_000 * MS;
    window.closed(window.changed(calm), true); // long after: runs after the quiet period
    assertThat(window.changed(calm + 100 * MS))
        .as("the write after it is paced by the first gap again")
        .isEqualTo(calm + 150 * MS + 600 * MS);
    assertThat(window.changed(calm + 3000 * MS)).isEqualTo(calm + 3150 * MS);
  }
}
