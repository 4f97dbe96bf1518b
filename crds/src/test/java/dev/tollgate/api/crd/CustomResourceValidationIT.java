package dev.tollgate.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applies every manifest under {@code crd-validation/} with the real kubectl to a real
 * kube-apiserver carrying the generated CRDs: the schema and its CEL rules alone must refuse each
 * invalid one with a message naming the field, and accept each valid one.
 */
class CustomResourceValidationIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  @BeforeAll
  static void installCrds() {
    CrdInstaller.install(KUBE.api());
  }

  static Stream<ValidationCase> cases() {
    return ValidationCase.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void apiServerDecidesAsTheManifestExpects(ValidationCase manifest) {
    String namespace = KUBE.api().createNamespace("crd-validation");

    ExternalCommand.Result applied =
        KUBE.api().kubectl(manifest.yaml(), "apply", "-f", "-", "-n", namespace);

    if (manifest.valid()) {
      assertThat(applied.succeeded()).as(applied.output()).isTrue();
    } else {
      assertThat(applied.succeeded()).as("refused: " + applied.output()).isFalse();
      assertThat(applied.output()).contains(" is invalid: ");
      assertThat(applied.output().replaceAll("\\[[^\\]]*\\]", ""))
          .as("names the field")
          .contains(" " + manifest.fieldPath() + ": ");
      manifest.expectedMessages().forEach(m -> assertThat(applied.output()).contains(m));
    }
  }

  @Test
  void coversAtLeastTwelveRulesWithInvalidManifests() {
    assertThat(cases().filter(c -> !c.valid()).count()).isGreaterThanOrEqualTo(12);
    assertThat(cases().filter(ValidationCase::valid)).isNotEmpty();
  }

  @Test
  void fillsSchemaDefaults() {
    String namespace = KUBE.api().createNamespace("crd-defaults");
    KUBE.api()
        .kubectl(
            """
            apiVersion: tollgate.dev/v1alpha1
            kind: Route
            metadata: {name: minimal}
            spec:
              match: {pathPrefix: /}
              backend:
                service: {name: orders, port: 8080}
                retries: {}
                circuitBreaker: {}
              auth: {}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: RateLimitPolicy
            metadata: {name: minimal}
            spec:
              targetRefs: [{kind: Route, name: minimal}]
              limits: [{name: all, rate: {requests: 10, period: 1s}}]
            """,
            "apply",
            "-f",
            "-",
            "-n",
            namespace)
        .orThrow();

    // Compare the server's JSON, not Java objects: the model's field initializers would hide a
    // missing schema default.
    assertThat(specOf("route/minimal", namespace))
        .isEqualTo(
            json(
                """
                {"match": {"pathPrefix": "/"},
                 "backend": {"service": {"name": "orders", "port": 8080},
                             "loadBalancer": "round-robin", "timeout": "15s",
                             "retries": {"attempts": 1, "retryOn": ["connect-failure"]},
                             "circuitBreaker": {"failureRatio": 50, "volume": 20, "delay": "10s"}},
                 "auth": {"jwt": "none"}}
                """));
    assertThat(specOf("ratelimitpolicy/minimal", namespace))
        .isEqualTo(
            json(
                """
                {"targetRefs": [{"kind": "Route", "name": "minimal"}],
                 "enforcement": "enforce", "failureMode": "open",
                 "limits": [{"name": "all", "algorithm": "token-bucket", "cost": 1,
                             "rate": {"requests": 10, "period": "1s"}}]}
                """));
  }

  private static JsonNode specOf(String resource, String namespace) {
    return json(KUBE.api()
            .kubectl(null, "get", resource, "-n", namespace, "-o", "json")
            .orThrow()
            .output())
        .path("spec");
  }

  private static JsonNode json(String text) {
    try {
      return ApiJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
