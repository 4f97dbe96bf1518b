package dev.tollgate.operator.reconciler.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.v1alpha1.RouteMatch;
import dev.tollgate.api.v1alpha1.RouteSpec;
import dev.tollgate.operator.snapshot.EndpointResolution;
import dev.tollgate.operator.status.DesiredCondition;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteAcceptanceTest {
  private static RouteSpec spec(String pathRegex) {
    RouteMatch match = new RouteMatch();
    if (pathRegex == null) {
      match.setPathPrefix("/orders");
    } else {
      match.setPathRegex(pathRegex);
    }
    RouteSpec spec = new RouteSpec();
    spec.setMatch(match);
    return spec;
  }

  @Test
  void acceptsARouteWhoseBackendResolves() {
    EndpointResolution resolved =
        EndpointResolution.resolved(
            List.of("http://10.0.0.1:80"), "Service orders port 80: 1 ready endpoints");

    assertThat(RouteAcceptance.accepted(spec(null), resolved))
        .isEqualTo(
            DesiredCondition.isTrue(
                "Accepted", "Accepted", "Service orders port 80: 1 ready endpoints"));
  }

  @Test
  void mapsEachResolutionProblemToItsReason() {
    assertThat(
            RouteAcceptance.accepted(
                    spec(null),
                    EndpointResolution.unresolved(
                        EndpointResolution.Outcome.SERVICE_NOT_FOUND, "Service orders not found"))
                .reason())
        .isEqualTo("ServiceNotFound");
    assertThat(
            RouteAcceptance.accepted(
                    spec(null),
                    EndpointResolution.unresolved(
                        EndpointResolution.Outcome.PORT_NOT_FOUND, "Service orders has no port 81"))
                .reason())
        .isEqualTo("ServiceNotFound");
    assertThat(
            RouteAcceptance.accepted(
                    spec(null),
                    EndpointResolution.unresolved(
                        EndpointResolution.Outcome.NO_READY_ENDPOINTS, "no ready endpoints"))
                .reason())
        .isEqualTo("NoReadyEndpoints");
  }

  @Test
  void rejectsARegexJavaCannotCompileAndLeavesTheRouteOutOfTheSnapshot() {
    RouteSpec spec = spec("/orders/(unclosed");

    DesiredCondition accepted =
        RouteAcceptance.accepted(spec, EndpointResolution.resolved(List.of("http://x:1"), "ok"));

    assertThat(accepted.reason()).isEqualTo("Invalid");
    assertThat(accepted.message())
        .startsWith("spec.match.pathRegex does not compile: Unclosed group");
    assertThat(RouteAcceptance.inSnapshot(spec)).isFalse();
    assertThat(RouteAcceptance.inSnapshot(spec(null))).isTrue();
  }
}
