package dev.tollgate.operator.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppliedCountTest {
  @Test
  void countsGatewaysServingTheVersionOrANewerOne() {
    AppliedCount count = AppliedCount.of(42, List.of(41L, 42L, 43L));

    assertThat(count.applied()).isEqualTo(2);
    assertThat(count.live()).isEqualTo(3);
    assertThat(count.complete()).isFalse();
    assertThat(count.message()).isEqualTo("config v42 applied by 2/3 gateways");
  }

  @Test
  void isCompleteOnlyWithAtLeastOneLiveGateway() {
    assertThat(AppliedCount.of(7, List.of(7L, 9L)).complete()).isTrue();
    assertThat(AppliedCount.of(7, List.of()).complete()).isFalse();
    assertThat(AppliedCount.of(7, List.of()).message())
        .isEqualTo("config v7 applied by 0/0 gateways");
  }
}
