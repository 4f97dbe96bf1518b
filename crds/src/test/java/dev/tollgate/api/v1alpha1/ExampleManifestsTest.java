package dev.tollgate.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.MappingIterator;
import dev.tollgate.api.common.ApiYaml;
import dev.tollgate.api.common.TargetRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes examples read into the model with {@link ApiYaml}, as the standalone gateway reads
 * its config directory (ExamplesIT applies the same files to a real API server).
 */
class ExampleManifestsTest {
  static final Path EXAMPLES = Path.of("..", "examples", "k8s");

  @Test
  void routeExampleReadsIntoTheModel() throws Exception {
    Route route = named(read("02-routes.yaml", Route.class), "orders");

    assertThat(route.getSpec().getHosts()).isNullOrEmpty();
    assertThat(route.getSpec().getBackend().getService().getName()).isEqualTo("echo");
    assertThat(route.getSpec().getMatch().getMethods())
        .containsExactly(HttpMethod.GET, HttpMethod.POST);
    assertThat(route.getSpec().getBackend().getRetries().getRetryOn())
        .containsExactly(Retries.RetryOn.CONNECT_FAILURE, Retries.RetryOn.GATEWAY_ERROR);
    assertThat(route.getSpec().getAuth().getJwt()).isEqualTo(RouteAuth.JwtMode.REQUIRED);
  }

  @Test
  void policyExampleReadsIntoTheModelWithJavaDefaults() throws Exception {
    RateLimitPolicy policy =
        named(read("03-ratelimitpolicies.yaml", RateLimitPolicy.class), "orders-per-user");

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

  @Test
  void calendarQuotaExampleReadsIntoTheModel() throws Exception {
    Limit daily =
        named(read("04-calendar-quota.yaml", RateLimitPolicy.class), "orders-quota")
            .getSpec()
            .getLimits()
            .getFirst();

    assertThat(daily.getAlgorithm()).isEqualTo(Limit.Algorithm.FIXED_WINDOW);
    assertThat(daily.getRate().getPeriod()).isNull();
    assertThat(daily.getWindow())
        .isEqualTo(new LimitWindow(LimitWindow.Calendar.DAY, "Europe/Berlin"));
  }

  /** Every document of a multi-document example file. */
  private static <T> List<T> read(String file, Class<T> type) throws IOException {
    try (MappingIterator<T> documents =
        ApiYaml.mapper().readerFor(type).readValues(EXAMPLES.resolve(file).toFile())) {
      return documents.readAll();
    }
  }

  private static <T extends HasMetadata> T named(List<T> resources, String name) {
    return resources.stream()
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in the example"));
  }
}
