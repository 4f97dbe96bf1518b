package dev.tollgate.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RejectionReportTest {
  private static final ResourceId DAILY = ResourceId.policy("shop", "daily");
  private static final ResourceId SEARCH = ResourceId.route("shop", "search");

  @Test
  void readsBackWhatItWritesOneLinePerResource() {
    RejectionReport report =
        RejectionReport.of(
            Map.of(
                DAILY,
                List.of(Problem.invalid("spec.limits[0].rate", "too big\nfor the engine")),
                SEARCH,
                List.of(Problem.invalid("spec.match", "required"))));

    assertThat(report.encode())
        .isEqualTo(
            "Route/shop/search\tspec.match: required\n"
                + "RateLimitPolicy/shop/daily\tspec.limits[0].rate: too big for the engine\n");
    assertThat(RejectionReport.decode(report.encode())).isEqualTo(report);
    assertThat(RejectionReport.NONE.encode()).isEmpty();
  }

  @Test
  void staysBoundedHoweverMuchWasLeftOut() {
    Map<ResourceId, List<Problem>> many = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      many.put(
          ResourceId.route("ns", String.format("r%03d", i)),
          List.of(Problem.invalid("spec", "x".repeat(2_000))));
    }

    RejectionReport report = RejectionReport.of(many);

    assertThat(report.reasons()).hasSize(RejectionReport.MAX_RESOURCES);
    assertThat(report.reasons()).containsKey(ResourceId.route("ns", "r000"));
    assertThat(report.reasons().values())
        .allSatisfy(r -> assertThat(r).hasSize(RejectionReport.MAX_REASON_CHARS).endsWith("..."));
  }

  @Test
  void skipsLinesItCannotRead() {
    assertThat(
            RejectionReport.decode(
                    "Gateway/shop/x\tnewer kind\nno tab here\nRoute/shop/search\tfine\n")
                .reasons())
        .containsExactly(Map.entry(SEARCH, "fine"));
  }
}
