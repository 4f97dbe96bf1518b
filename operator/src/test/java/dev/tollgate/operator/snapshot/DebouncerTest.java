package dev.tollgate.operator.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DebouncerTest {
  private static final Duration QUIET = Duration.ofMillis(20);
  private static final Duration MAX_DELAY = Duration.ofSeconds(1);

  /** Four quiet periods: the gap between two writes of a burst ({@link DebounceWindow}). */
  private static final long FIRST_GAP_NANOS = 4 * QUIET.toNanos();

  @Test
  void changesDuringARunAreRunOnceMoreAfterItAndKeepThePacingGap() throws Exception {
    CountDownLatch firstRunMayEnd = new CountDownLatch(1);
    List<Long> starts = new CopyOnWriteArrayList<>();
    List<Long> ends = new CopyOnWriteArrayList<>();
    try (Debouncer debouncer =
        new Debouncer(
            "debouncer-test",
            QUIET,
            MAX_DELAY,
            () -> {
              starts.add(System.nanoTime());
              if (starts.size() == 1) {
                await().until(() -> firstRunMayEnd.await(0, TimeUnit.MILLISECONDS));
              }
              ends.add(System.nanoTime());
              return true;
            })) {
      debouncer.trigger();
      await().until(() -> starts.size() == 1);

      debouncer.trigger();
      debouncer.trigger();
      debouncer.trigger();
      firstRunMayEnd.countDown();

      await().until(() -> ends.size() == 2);
      assertThat(starts.get(1))
          .as("the second run starts after the first ended, one pacing gap after it started")
          .isGreaterThanOrEqualTo(ends.get(0))
          .isGreaterThanOrEqualTo(starts.get(0) + FIRST_GAP_NANOS);
      await().during(Duration.ofMillis(300)).until(() -> starts.size() == 2);
    }
  }

  @Test
  void aTriggerAfterCloseIsIgnored() {
    List<Long> starts = new CopyOnWriteArrayList<>();
    Debouncer debouncer =
        new Debouncer("debouncer-test", QUIET, MAX_DELAY, () -> starts.add(System.nanoTime()));
    debouncer.close();

    debouncer.trigger();

    await().during(Duration.ofMillis(200)).until(starts::isEmpty);
  }
}
