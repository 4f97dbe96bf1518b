package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The engine's invariants: a definition outside the rulebook's bounds (LimitBoundsTest has them at
 * their edges) is refused with the same message, prefixed by the limit's id.
 */
class LimitDefinitionTest {
  private static final LimitId ID = new LimitId("shop", "orders", "per-user");

  @Test
  void rejectsZeroRequestsNamingTheFieldAndValue() {
    assertThatThrownBy(() -> LimitDefinition.of(ID, Algorithm.GCRA, 0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shop/orders/per-user: rate.requests: must be between 1 and 1000000000, was 0");
  }

  @Test
  void rejectsAPeriodShorterThanAMillisecond() {
    assertThatThrownBy(
            () -> LimitDefinition.of(ID, Algorithm.FIXED_WINDOW, 5, Duration.ofNanos(999_999)))
        .hasMessage(
            "shop/orders/per-user: rate.period: must be between 1ms and 366 days (8784h), was"
                + " PT0.000999999S");
  }

  @Test
  void rejectsABurstBelowOne() {
    assertThatThrownBy(
            () -> new LimitDefinition(ID, Algorithm.TOKEN_BUCKET, 5, Duration.ofMinutes(1), 0))
        .hasMessage("shop/orders/per-user: burst: must be between 1 and 1000000000, was 0");
  }

  @Test
  void acceptsEveryAlgorithmAtItsLargestNumbers() {
    for (Algorithm algorithm : Algorithm.values()) {
      long requests = algorithm == Algorithm.SLIDING_LOG ? 100_000 : 1_000_000_000;
      assertThat(LimitDefinition.of(ID, algorithm, requests, Duration.ofDays(366)).capacity())
          .isEqualTo(requests);
      assertThat(LimitDefinition.of(ID, algorithm, requests, Duration.ofMillis(1)).capacity())
          .isEqualTo(requests);
    }
  }

  @Test
  void rejectsABucketThatRefillsMoreSlowlyThan366Days() {
    assertThatThrownBy(
            () -> new LimitDefinition(ID, Algorithm.TOKEN_BUCKET, 2, Duration.ofDays(183), 5))
        .hasMessage(
            "shop/orders/per-user: burst: must refill within 366 days (burst x rate.period <="
                + " rate.requests x 8784h), was 5 with 2 per 4392h: at most 4");
  }

  @Test
  void rejectsASlidingLogTooLargeToKeep() {
    assertThatThrownBy(
            () -> LimitDefinition.of(ID, Algorithm.SLIDING_LOG, 100_001, Duration.ofMinutes(1)))
        .hasMessageContaining("rate.requests: must not exceed 100000 for sliding-log");
  }

  @Test
  void calendarWindowsNeedFixedWindow() {
    CalendarWindow day = CalendarWindow.of("day", "Europe/Berlin");
    assertThat(new LimitDefinition(ID, Algorithm.FIXED_WINDOW, 200_000, day, 1).window())
        .isEqualTo(day);
    assertThatThrownBy(() -> new LimitDefinition(ID, Algorithm.SLIDING_WINDOW, 5, day, 5))
        .hasMessage(
            "shop/orders/per-user: window: a calendar window needs algorithm fixed-window, not"
                + " sliding-window");
    assertThatThrownBy(() -> new LimitDefinition(ID, Algorithm.FIXED_WINDOW, 1_000_000_001, day, 1))
        .hasMessage(
            "shop/orders/per-user: rate.requests: must be between 1 and 1000000000, was"
                + " 1000000001");
  }

  @Test
  void rejectsNamesThatCouldForgeKeyStructure() {
    assertThatThrownBy(() -> new LimitId("shop", "orders}:x", "per-user"))
        .hasMessageStartingWith("policy: 'orders}:x' must be 1-253 lower-case alphanumerics");
  }

  @Test
  void windowsAdmitRequestsPerPeriodAndBucketsTheirBurst() {
    assertThat(
            new LimitDefinition(ID, Algorithm.FIXED_WINDOW, 5, Duration.ofMinutes(1), 9).capacity())
        .isEqualTo(5);
    assertThat(
            new LimitDefinition(ID, Algorithm.TOKEN_BUCKET, 5, Duration.ofMinutes(1), 9).capacity())
        .isEqualTo(9);
  }

  @Test
  void splitsALimitAcrossReplicasRoundingUp() {
    LimitDefinition limit =
        new LimitDefinition(ID, Algorithm.TOKEN_BUCKET, 100, Duration.ofMinutes(1), 25);

    LimitDefinition share = limit.perReplica(3);

    assertThat(share.requests()).isEqualTo(34);
    assertThat(share.burst()).isEqualTo(9);
    assertThat(share.id()).isEqualTo(ID);
    assertThat(
            LimitDefinition.of(ID, Algorithm.GCRA, 1, Duration.ofMinutes(1))
                .perReplica(5)
                .requests())
        .isEqualTo(1);
  }

  /** 2 per 244 days with burst 3 refills in 366 days; a share of 1 with burst 2 would take 488. */
  @Test
  void lowersAShareBurstThatWouldRefillTooSlowly() {
    LimitDefinition limit = new LimitDefinition(ID, Algorithm.GCRA, 2, Duration.ofDays(244), 3);

    LimitDefinition share = limit.perReplica(2);

    assertThat(share.requests()).isEqualTo(1);
    assertThat(share.burst()).isEqualTo(1);
  }

  @Test
  void parsesPolicyAlgorithmNames() {
    assertThat(Algorithm.fromWireName("sliding-window")).isEqualTo(Algorithm.SLIDING_WINDOW);
    assertThatThrownBy(() -> Algorithm.fromWireName("leaky"))
        .hasMessage(
            "algorithm: 'leaky' is not one of token-bucket | gcra | sliding-window | sliding-log |"
                + " fixed-window");
  }
}
