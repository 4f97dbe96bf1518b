package dev.tollgate.operator.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.rules.RejectionReport;
import dev.tollgate.rules.ResourceId;
import java.util.List;
import java.util.Map;
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
  void countsOnlyRefusalsOfTheVersionWithTheResourcesCurrentEntryOrANewerOne() {
    ResourceId policy = ResourceId.policy("shop", "daily");
    RejectionReport refused = new RejectionReport(Map.of(policy, "spec.limits[0].rate: too big"));
    FleetReport fleet =
        new FleetReport(
            List.of(41L, 42L, 43L),
            List.of(
                new FleetReport.Rejections(41, refused), new FleetReport.Rejections(43, refused)));

    AppliedCount count = AppliedCount.of(policy, 42, fleet);

    assertThat(count.applied()).isEqualTo(1);
    assertThat(count.refused()).isEqualTo(1);
    assertThat(count.complete()).isFalse();
    assertThat(count.message())
        .isEqualTo(
            "config v42 refused by 1/3 gateways: spec.limits[0].rate: too big (applied by 1/3"
                + " gateways)");
    assertThat(AppliedCount.of(ResourceId.policy("shop", "other"), 42, fleet).message())
        .isEqualTo("config v42 applied by 2/3 gateways");
  }

  @Test
  void isCompleteOnlyWithAtLeastOneLiveGateway() {
    assertThat(AppliedCount.of(7, List.of(7L, 9L)).complete()).isTrue();
    assertThat(AppliedCount.of(7, List.of()).complete()).isFalse();
    assertThat(AppliedCount.of(7, List.of()).message())
        .isEqualTo("config v7 applied by 0/0 gateways");
  }
}
