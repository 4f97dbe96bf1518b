package dev.tollgate.testkit.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A failed API server start is stopped and tried once more, with a fresh server. */
class KubeApiServerRetryTest {
  private final AtomicInteger made = new AtomicInteger();
  private final List<Integer> stopped = new ArrayList<>();

  @Test
  void aFailedStartIsStoppedAndAFreshServerStarted() {
    Integer started =
        KubeApiServer.startedWithOneRetry(made::incrementAndGet, failingUpTo(1), stopped::add);

    assertThat(started).isEqualTo(2);
    assertThat(stopped).containsExactly(1);
  }

  @Test
  void aStartThatWorksIsNotRepeated() {
    Integer started =
        KubeApiServer.startedWithOneRetry(made::incrementAndGet, failingUpTo(0), stopped::add);

    assertThat(started).isEqualTo(1);
    assertThat(made).hasValue(1);
    assertThat(stopped).isEmpty();
  }

  @Test
  void twoFailedStartsStopBothAndReportBothFailures() {
    assertThatThrownBy(
            () ->
                KubeApiServer.startedWithOneRetry(
                    made::incrementAndGet,
                    failingUpTo(2),
                    server -> {
                      stopped.add(server);
                      throw new IllegalStateException("cannot stop " + server);
                    }))
        .hasMessage("start 2 failed")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("cannot stop 2", "start 1 failed"));
    assertThat(stopped).containsExactly(1, 2);
    assertThat(made).hasValue(2);
  }

  private static Consumer<Integer> failingUpTo(int lastFailing) {
    return server -> {
      if (server <= lastFailing) {
        throw new IllegalStateException("start " + server + " failed");
      }
    };
  }
}
