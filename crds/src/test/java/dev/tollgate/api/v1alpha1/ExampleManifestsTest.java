package dev.tollgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.ApiYaml;
import dev.tollgate.api.common.TargetRef;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes examples read into the model with {@link ApiYaml}, as the standalone gateway reads
 * its config directory (ExamplesIT applies the same files to a real API server).
 */
class ExampleManifestsTest {
  static final Path EXAMPLES = Path.of("..", "examples", "k8s");

  @Test
  void routeExampleReadsIntoTheModel() throws Exception {
    Route route =
        ApiYaml.mapper().readValue(EXAMPLES.resolve("03-route.yaml").toFile(), Route.class);

    assertThat(route.getMetadata().getName()).isEqualTo("orders");
    assertThat(route.getSpec().getHosts()).containsExactly("api.example.com");
    assertThat(route.getSpec().getMatch().getMethods())
        .containsExactly(HttpMethod.GET, HttpMethod.POST);
    assertThat(route.getSpec().getBackend().getRetries().getRetryOn())
        .containsExactly(Retries.RetryOn.CONNECT_FAILURE, Retries.RetryOn.GATEWAY_ERROR);
    assertThat(route.getSpec().getAuth().getJwt()).isEqualTo(RouteAuth.JwtMode.REQUIRED);
  }

  @Test
  void policyExampleReadsIntoTheModelWithJavaDefaults() throws Exception {
    RateLimitPolicy policy =
        ApiYaml.mapper()
            .readValue(EXAMPLES.resolve("04-ratelimitpolicy.yaml").toFile(), RateLimitPolicy.class);

    RateLimitPolicySpec spec = policy.getSpec();
    assertThat(spec.getTargetRefs()).containsExactly(new TargetRef(TargetRef.Kind.ROUTE, "orders"));
    Limit perUser = spec.getLimits().getFirst();
    assertThat(perUser.getTiers().getValues().get("premium").getRate())
        .isEqualTo(new Rate(1000, "1m"));
    assertThat(perUser.getTiers().getValues().get("internal").getUnlimited()).isTrue();
    Limit total = spec.getLimits().get(1);
    assertThat(total.getAlgorithm()).isEqualTo(Limit.Algorithm.SLIDING_WINDOW);
    assertThat(total.getCost()).isEqualTo(1);
    assertThat(total.getBurst()).isNull();
  }
}
