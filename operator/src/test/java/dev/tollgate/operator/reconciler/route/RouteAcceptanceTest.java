package dev.tollgate.operator.reconciler.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.cluster.EndpointResolution;
import dev.tollgate.operator.status.DesiredCondition;
import dev.tollgate.rules.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteAcceptanceTest {
  private static final List<Problem> NONE = List.of();

  @Test
  void acceptsARouteWhoseBackendResolves() {
    EndpointResolution resolved =
        EndpointResolution.resolved(
            List.of("http://10.0.0.1:80"), "Service orders port 80: 1 ready endpoints");

    assertThat(RouteAcceptance.accepted(NONE, resolved))
        .isEqualTo(
            DesiredCondition.isTrue(
                "Accepted", "Accepted", "Service orders port 80: 1 ready endpoints"));
  }

  @Test
  void mapsEachResolutionProblemToItsReason() {
    assertThat(
            RouteAcceptance.accepted(
                    NONE,
                    EndpointResolution.unresolved(
                        EndpointResolution.Outcome.SERVICE_NOT_FOUND, "Service orders not found"))
                .reason())
        .isEqualTo("ServiceNotFound");
    assertThat(
            RouteAcceptance.accepted(
                    NONE,
                    EndpointResolution.unresolved(
                        EndpointResolution.Outcome.PORT_NOT_FOUND, "Service orders has no port 81"))
                .reason())
        .isEqualTo("ServiceNotFound");
    assertThat(
            RouteAcceptance.accepted(
                    NONE,
                    EndpointResolution.unresolved(
                        EndpointResolution.Outcome.NO_READY_ENDPOINTS, "no ready endpoints"))
                .reason())
        .isEqualTo("NoReadyEndpoints");
  }

  @Test
  void reportsTheRulebooksProblemsBeforeTheBackendsState() {
    List<Problem> problems =
        List.of(
            Problem.invalid("spec.match.pathRegex", "invalid regular expression: Unclosed group"),
            Problem.invalid("spec.backend.timeout", "invalid duration 'x'"));

    DesiredCondition accepted =
        RouteAcceptance.accepted(
            problems,
            EndpointResolution.unresolved(
                EndpointResolution.Outcome.SERVICE_NOT_FOUND, "Service orders not found"));

    assertThat(accepted)
        .isEqualTo(
            DesiredCondition.isFalse(
                "Accepted",
                "Invalid",
                "spec.match.pathRegex: invalid regular expression: Unclosed group;"
                    + " spec.backend.timeout: invalid duration 'x'"));
  }
}
