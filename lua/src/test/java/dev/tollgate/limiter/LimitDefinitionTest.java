package dev.tollgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitDefinitionTest {
  private static final LimitId ID = new LimitId("shop", "orders", "per-user");

  @Test
  void rejectsZeroRequestsNamingTheFieldAndValue() {
    assertThatThrownBy(() -> LimitDefinition.of(ID, Algorithm.GCRA, 0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shop/orders/per-user: rate.requests: must be at least 1, was 0");
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
        .hasMessage("shop/orders/per-user: burst: must be at least 1, was 0");
  }

  @Test
  void rejectsNumbersTheLuaArithmeticCannotHoldExactly() {
    assertThatThrownBy(() -> LimitDefinition.of(ID, Algorithm.GCRA, 200_000, Duration.ofDays(1)))
        .hasMessageContaining(
            "rate: 200000 requests per 24h is beyond the limiter's exact arithmetic");
  }

  @Test
  void rejectsASlidingLogTooLargeToKeep() {
    assertThatThrownBy(
            () -> LimitDefinition.of(ID, Algorithm.SLIDING_LOG, 100_001, Duration.ofMinutes(1)))
        .hasMessageContaining("rate.requests: must not exceed 100000 for sliding-log");
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

  @Test
  void parsesPolicyAlgorithmNames() {
    assertThat(Algorithm.fromWireName("sliding-window")).isEqualTo(Algorithm.SLIDING_WINDOW);
    assertThatThrownBy(() -> Algorithm.fromWireName("leaky"))
        .hasMessage(
            "algorithm: 'leaky' is not one of token-bucket | gcra | sliding-window | sliding-log |"
                + " fixed-window");
  }
}
