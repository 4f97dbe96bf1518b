package dev.tollgate.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.common.Condition;
import dev.tollgate.api.common.ConditionReason;
import dev.tollgate.api.common.ConditionStatus;
import dev.tollgate.api.common.ConditionType;
import dev.tollgate.api.v1alpha1.LimitWindow;
import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.RateLimitPolicyStatus;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.api.v1alpha1.RouteAuth.JwtMode;
import dev.tollgate.api.v1alpha1.RouteStatus;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The manifests in {@code examples/k8s/} apply cleanly with the real kubectl, read back into the
 * Java model, and {@code kubectl get routes,ratelimitpolicies} fills its printer columns.
 */
class ExamplesIT {
  static final Path EXAMPLES = Path.of("..", "examples", "k8s");

  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();

  @BeforeAll
  static void installCrds() {
    CrdInstaller.install(KUBE.api());
  }

  @Test
  void examplesApplyAndReadBackIntoTheModel() {
    String namespace = KUBE.api().createNamespace("examples");

    String applied =
        KUBE.api()
            .kubectl(null, "apply", "-n", namespace, "-f", EXAMPLES.toString())
            .orThrow()
            .output();

    assertThat(applied)
        .contains("configmap/echo-cgi created")
        .contains("deployment.apps/echo created")
        .contains("service/echo created")
        .contains("route.tollgate.dev/public created")
        .contains("route.tollgate.dev/orders created")
        .contains("ratelimitpolicy.tollgate.dev/public-per-client created")
        .contains("ratelimitpolicy.tollgate.dev/orders-per-user created")
        .contains("ratelimitpolicy.tollgate.dev/orders-quota created");
    Route route =
        KUBE.api().client().resources(Route.class).inNamespace(namespace).withName("orders").get();
    assertThat(route.getSpec().getMatch().getPathPrefix()).isEqualTo("/orders");
    assertThat(route.getSpec().getBackend().getService().getName()).isEqualTo("echo");
    assertThat(route.getSpec().getAuth().getJwt()).isEqualTo(JwtMode.REQUIRED);
    RateLimitPolicy policy =
        KUBE.api()
            .client()
            .resources(RateLimitPolicy.class)
            .inNamespace(namespace)
            .withName("orders-per-user")
            .get();
    assertThat(policy.getSpec().getLimits())
        .extracting("name")
        .containsExactly("per-user", "route-total");
    RateLimitPolicy quota =
        KUBE.api()
            .client()
            .resources(RateLimitPolicy.class)
            .inNamespace(namespace)
            .withName("orders-quota")
            .get();
    assertThat(quota.getSpec().getLimits().getFirst().getWindow())
        .isEqualTo(new LimitWindow(LimitWindow.Calendar.DAY, "Europe/Berlin"));
  }

  @Test
  void printerColumnsShowSpecAndConditions() {
    String namespace = KUBE.api().createNamespace("columns");
    KUBE.api().kubectl(null, "apply", "-n", namespace, "-f", EXAMPLES.toString()).orThrow();
    markAcceptedAndProgrammed(namespace);
    KUBE.api()
        .kubectl(
            """
            apiVersion: tollgate.dev/v1alpha1
            kind: Route
            metadata: {name: static}
            spec:
              match: {pathRegex: '^/v[0-9]+/status$'}
              backend: {endpoints: ['http://status.internal.example:8080']}
            """,
            "apply",
            "-n",
            namespace,
            "-f",
            "-")
        .orThrow();

    List<Map<String, String>> routes = table(namespace, "routes");
    List<Map<String, String>> policies = table(namespace, "ratelimitpolicies");

    assertThat(routes.getFirst().keySet())
        .containsExactly(
            "NAME",
            "HOSTS",
            "PATH",
            "BACKEND",
            "ACCEPTED",
            "PROGRAMMED",
            "POLICIES",
            "REASON",
            "AGE");
    assertThat(routes.getFirst())
        .containsEntry("NAME", "orders")
        .containsEntry("HOSTS", "")
        .containsEntry("PATH", "/orders")
        .containsEntry("BACKEND", "echo")
        .containsEntry("ACCEPTED", "True")
        .containsEntry("PROGRAMMED", "False")
        .containsEntry("POLICIES", "orders-per-user")
        .containsEntry("REASON", "Pending");
    assertThat(routes.get(2))
        .containsEntry("NAME", "static")
        .containsEntry("HOSTS", "")
        .containsEntry("PATH", "^/v[0-9]+/status$")
        .containsEntry("BACKEND", "[\"http://status.internal.example:8080\"]")
        .containsEntry("ACCEPTED", "");
    assertThat(policies.getFirst().keySet())
        .containsExactly(
            "NAME", "TARGETS", "LIMITS", "ENFORCEMENT", "ACCEPTED", "PROGRAMMED", "REASON", "AGE");
    assertThat(policies.getFirst())
        .containsEntry("NAME", "orders-per-user")
        .containsEntry("TARGETS", "orders")
        .containsEntry("LIMITS", "per-user,route-total")
        .containsEntry("ENFORCEMENT", "enforce")
        .containsEntry("ACCEPTED", "True")
        .containsEntry("PROGRAMMED", "True")
        .containsEntry("REASON", "Programmed");
    // -o wide adds the message of the condition to read first: here Programmed's.
    assertThat(
            KUBE.api()
                .kubectl(null, "get", "-n", namespace, "tgrl", "-o", "wide")
                .orThrow()
                .output())
        .contains("MESSAGE")
        .contains("config v1");
  }

  /** The rows of {@code kubectl get <resource>}, each cell cut at its header's column. */
  private static List<Map<String, String>> table(String namespace, String resource) {
    List<String> lines =
        KUBE.api()
            .kubectl(null, "get", "-n", namespace, resource)
            .orThrow()
            .output()
            .lines()
            .toList();
    String header = lines.getFirst();
    List<Integer> starts = new ArrayList<>();
    Matcher column = Pattern.compile("\\S+").matcher(header);
    while (column.find()) {
      starts.add(column.start());
    }
    starts.add(Integer.MAX_VALUE);
    return lines.stream()
        .skip(1)
        .map(
            line -> {
              Map<String, String> row = new LinkedHashMap<>();
              for (int i = 0; i < starts.size() - 1; i++) {
                int from = Math.min(starts.get(i), line.length());
                int to = Math.min(starts.get(i + 1), line.length());
                row.put(
                    header.substring(starts.get(i)).split("\\s+")[0],
                    line.substring(from, to).strip());
              }
              return row;
            })
        .toList();
  }

  @Test
  void shortNamesListBothKinds() {
    String namespace = KUBE.api().createNamespace("short");
    KUBE.api().kubectl(null, "apply", "-n", namespace, "-f", EXAMPLES.toString()).orThrow();

    assertThat(
            KUBE.api()
                .kubectl(null, "get", "-n", namespace, "tgr,tgrl", "-o", "name")
                .orThrow()
                .output())
        .contains("route.tollgate.dev/orders")
        .contains("ratelimitpolicy.tollgate.dev/orders-per-user");
  }

  /**
   * Writes statuses the way the operator does, through the status subresource: the Route still
   * waits for a config version, the policy is in one.
   */
  private static void markAcceptedAndProgrammed(String namespace) {
    var routes = KUBE.api().client().resources(Route.class).inNamespace(namespace);
    Route route = routes.withName("orders").get();
    long routeGeneration = route.getMetadata().getGeneration();
    route.setStatus(
        new RouteStatus(
                routeGeneration,
                conditions(routeGeneration, ConditionStatus.FALSE, ConditionReason.PENDING))
            .withPolicies(List.of("orders-per-user")));
    routes.resource(route).updateStatus();

    var policies = KUBE.api().client().resources(RateLimitPolicy.class).inNamespace(namespace);
    RateLimitPolicy policy = policies.withName("orders-per-user").get();
    long generation = policy.getMetadata().getGeneration();
    policy.setStatus(
        new RateLimitPolicyStatus(
                generation,
                conditions(generation, ConditionStatus.TRUE, ConditionReason.PROGRAMMED))
            .withSummaryOf(policy.getSpec()));
    policies.resource(policy).updateStatus();
  }

  private static List<Condition> conditions(
      long generation, String programmed, String programmedReason) {
    Instant now = Instant.now();
    return List.of(
        Condition.of(
            ConditionType.ACCEPTED,
            ConditionStatus.TRUE,
            ConditionReason.ACCEPTED,
            "valid",
            generation,
            now),
        Condition.of(
            ConditionType.PROGRAMMED, programmed, programmedReason, "config v1", generation, now));
  }
}
