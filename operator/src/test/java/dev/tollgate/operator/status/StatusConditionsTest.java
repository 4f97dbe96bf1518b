package dev.tollgate.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusConditionsTest {
  private static final Instant EARLIER = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-01-02T00:00:00Z");
  private final StatusConditions conditions =
      new StatusConditions(Clock.fixed(NOW, ZoneOffset.UTC));

  private static List<Condition> before(String status) {
    return List.of(Condition.of("Accepted", status, "Accepted", "old message", 1, EARLIER));
  }

  @Test
  void keepsTheTransitionTimeWhileTheStatusStaysTheSame() {
    List<Condition> merged =
        conditions.merge(
            before("True"),
            2,
            List.of(DesiredCondition.isTrue("Accepted", "Accepted", "new message")));

    assertThat(merged)
        .containsExactly(Condition.of("Accepted", "True", "Accepted", "new message", 2, EARLIER));
  }

  @Test
  void stampsNowWhenTheStatusFlips() {
    List<Condition> merged =
        conditions.merge(
            before("True"),
            1,
            List.of(DesiredCondition.isFalse("Accepted", "TargetNotFound", "Route x not found")));

    assertThat(merged.get(0).getLastTransitionTime()).isEqualTo(NOW.toString());
  }

  @Test
  void stampsNowForAConditionSeenForTheFirstTime() {
    List<Condition> merged =
        conditions.merge(
            null, 1, List.of(DesiredCondition.unknown("Programmed", "Pending", "waiting")));

    assertThat(merged.get(0).getLastTransitionTime()).isEqualTo(NOW.toString());
    assertThat(merged.get(0).getObservedGeneration()).isEqualTo(1L);
  }
}
