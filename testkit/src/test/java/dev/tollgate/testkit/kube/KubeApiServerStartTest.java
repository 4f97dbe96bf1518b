package dev.tollgate.testkit.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** When a start waits for midnight to pass (kube-api-test's readiness waits wrap there). */
class KubeApiServerStartTest {
  private static final Duration WINDOW = Duration.ofSeconds(150);

  @Test
  void aStartWithinTheWindowBeforeMidnightWaitsUntilJustAfterIt() {
    // the start that failed at once in a full run
    assertThat(KubeApiServer.waitBeforeStart(LocalTime.of(23, 58, 23), WINDOW))
        .isEqualTo(Duration.ofSeconds(98));
    assertThat(KubeApiServer.waitBeforeStart(LocalTime.of(23, 59, 59, 500_000_000), WINDOW))
        .isEqualTo(Duration.ofMillis(1_500));
  }

  @Test
  void anyOtherStartBeginsAtOnce() {
    assertThat(KubeApiServer.waitBeforeStart(LocalTime.of(23, 57, 30), WINDOW)).isZero();
    assertThat(KubeApiServer.waitBeforeStart(LocalTime.of(12, 0), WINDOW)).isZero();
    assertThat(KubeApiServer.waitBeforeStart(LocalTime.MIDNIGHT, WINDOW)).isZero();
    assertThat(KubeApiServer.waitBeforeStart(LocalTime.of(0, 0, 5), WINDOW)).isZero();
  }
}
