package dev.tollgate.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.feedback.AppliedCount;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProgrammedConditionTest {
  private static final DesiredCondition ACCEPTED =
      DesiredCondition.isTrue("Accepted", "Accepted", "fine");

  @Test
  void namesTheVersionAndHowManyLiveGatewaysServeIt() {
    DesiredCondition programmed =
        ProgrammedCondition.of(
            ACCEPTED,
            true,
            OptionalLong.of(42),
            Optional.empty(),
            v -> AppliedCount.of(v, List.of(42L, 43L, 41L)));

    assertThat(programmed)
        .isEqualTo(
            DesiredCondition.isTrue(
                "Programmed", "Programmed", "config v42 applied by 2/3 gateways"));
  }

  @Test
  void isNotProgrammedWhileAGatewayLeavesItOutAndSaysWhy() {
    DesiredCondition programmed =
        ProgrammedCondition.of(
            ACCEPTED,
            true,
            OptionalLong.of(42),
            Optional.empty(),
            v -> new AppliedCount(v, 1, 2, 3, Optional.of("spec.limits[0].rate: too big")));

    assertThat(programmed)
        .isEqualTo(
            DesiredCondition.isFalse(
                "Programmed",
                "RefusedByGateway",
                "config v42 refused by 2/3 gateways: spec.limits[0].rate: too big (applied by 1/3"
                    + " gateways)"));
  }

  @Test
  void isPendingUntilAVersionContainsTheCurrentGeneration() {
    DesiredCondition programmed =
        ProgrammedCondition.of(
            ACCEPTED,
            true,
            OptionalLong.empty(),
            Optional.empty(),
            v -> AppliedCount.of(v, List.of()));

    assertThat(programmed.status()).isEqualTo("False");
    assertThat(programmed.reason()).isEqualTo("Pending");
  }

  @Test
  void saysWhyNoVersionHoldsItWhileWritesFail() {
    DesiredCondition programmed =
        ProgrammedCondition.of(
            ACCEPTED,
            true,
            OptionalLong.empty(),
            Optional.of("Connection refused"),
            v -> AppliedCount.of(v, List.of()));

    assertThat(programmed)
        .isEqualTo(
            DesiredCondition.isFalse(
                "Programmed",
                "WriteFailed",
                "cannot write the config snapshot to Redis (retrying): Connection refused"));
  }

  @Test
  void staysTrueForAResourceAlreadyInAStoredVersionWhileWritesFail() {
    assertThat(
            ProgrammedCondition.of(
                    ACCEPTED,
                    true,
                    OptionalLong.of(5),
                    Optional.of("Connection refused"),
                    v -> AppliedCount.of(v, List.of(5L)))
                .status())
        .isEqualTo("True");
  }

  @Test
  void saysWhyAResourceIsLeftOutOfTheSnapshot() {
    DesiredCondition invalid =
        DesiredCondition.isFalse("Accepted", "Invalid", "spec.match.pathRegex does not compile");

    DesiredCondition programmed =
        ProgrammedCondition.of(
            invalid,
            false,
            OptionalLong.of(3),
            Optional.empty(),
            v -> AppliedCount.of(v, List.of()));

    assertThat(programmed)
        .isEqualTo(
            DesiredCondition.isFalse(
                "Programmed",
                "NotAccepted",
                "left out of the config snapshot: spec.match.pathRegex does not compile"));
  }
}
