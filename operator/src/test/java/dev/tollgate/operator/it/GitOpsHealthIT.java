package dev.tollgate.operator.it;

import static dev.tollgate.operator.it.OperatorFixture.apply;
import static dev.tollgate.operator.it.OperatorFixture.patience;
import static dev.tollgate.operator.it.OperatorFixture.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.api.v1alpha1.RateLimitPolicy;
import dev.tollgate.api.v1alpha1.Route;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.RepositoryFiles;
import dev.tollgate.testkit.kube.KubeApiServerExtension;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Argo CD health check the chart ships ({@code helm/tollgate/files/gitops/argocd-health.lua},
 * shown in docs/gitops.md) run by Debian's {@code lua5.1} (the dialect of Argo CD's gopher-lua)
 * against Routes and policies exactly as the API server returns them after the real operator wrote
 * their status: one test per health state.
 */
class GitOpsHealthIT {
  @RegisterExtension static final KubeApiServerExtension KUBE = new KubeApiServerExtension();
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  static final Path HEALTH_CHECK =
      RepositoryFiles.find("helm/tollgate/files/gitops/argocd-health.lua");

  private String namespace;
  private OperatorFixture.Running operator;

  @BeforeAll
  static void installCrds() {
    OperatorFixture.installCrds(KUBE.api());
  }

  @BeforeEach
  void startOperator() {
    namespace = KUBE.api().createNamespace("health");
    operator =
        OperatorFixture.start(KUBE.api(), OperatorFixture.settings(REDIS.server(), namespace));
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void acceptedAndProgrammedResourcesAreHealthy() {
    apply(KUBE.api(), namespace, resource("orders.yaml"));

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(health(Route.class, "orders")).startsWith("Healthy\tconfig v");
              assertThat(health(RateLimitPolicy.class, "orders-per-user"))
                  .startsWith("Healthy\tconfig v");
            });
  }

  @Test
  void aRouteWithoutItsServiceAndAPolicyWithoutItsRouteAreDegraded() {
    apply(
        KUBE.api(),
        namespace,
        """
        apiVersion: tollgate.dev/v1alpha1
        kind: Route
        metadata: {name: lost}
        spec:
          match: {pathPrefix: /lost}
          backend: {service: {name: nowhere, port: 80}}
        ---
        apiVersion: tollgate.dev/v1alpha1
        kind: RateLimitPolicy
        metadata: {name: orphan}
        spec:
          targetRefs: [{kind: Route, name: missing}]
          limits: [{name: all, rate: {requests: 5, period: 1s}}]
        """);

    await()
        .atMost(patience())
        .untilAsserted(
            () -> {
              assertThat(health(Route.class, "lost"))
                  .isEqualTo("Degraded\tAccepted=False ServiceNotFound: Service nowhere not found");
              assertThat(health(RateLimitPolicy.class, "orphan"))
                  .startsWith("Degraded\tAccepted=False TargetNotFound: Route missing not found");
            });
  }

  @Test
  void aRouteAGatewayRefusedIsDegraded() {
    apply(KUBE.api(), namespace, resource("orders.yaml"));
    await().atMost(patience()).until(() -> health(Route.class, "orders").startsWith("Healthy"));

    OperatorFixture.gatewayReports(
        REDIS.server(),
        OperatorFixture.KEYS,
        "gateway-0",
        OperatorFixture.version(REDIS.server()),
        Duration.ofMinutes(5),
        "Route/" + namespace + "/orders\tspec.match.pathPrefix: not served by this gateway",
        0);

    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(health(Route.class, "orders"))
                    .startsWith("Degraded\tProgrammed=False RefusedByGateway: "));
  }

  @Test
  void anEditTheOperatorHasNotSeenYetIsProgressing() {
    apply(KUBE.api(), namespace, resource("orders.yaml"));
    await().atMost(patience()).until(() -> health(Route.class, "orders").startsWith("Healthy"));
    operator.close();
    operator = null;

    // generation 2, while the status the operator wrote still describes generation 1
    apply(
        KUBE.api(),
        namespace,
        resource("orders.yaml").replace("pathPrefix: /orders", "pathPrefix: /orders/v2"));

    assertThat(health(Route.class, "orders"))
        .isEqualTo("Progressing\tWaiting for the Tollgate operator to observe generation 2");
  }

  @Test
  void aResourceWithoutStatusIsProgressing() {
    operator.close();
    operator = null;
    apply(KUBE.api(), namespace, resource("orders.yaml"));

    assertThat(health(RateLimitPolicy.class, "orders-per-user"))
        .isEqualTo("Progressing\tWaiting for the Tollgate operator");
  }

  @Test
  void theDocumentedArgoCdConfigMapCarriesTheShippedScriptForBothKinds() throws IOException {
    String docs = Files.readString(RepositoryFiles.find("docs/install.md"));
    String script = Files.readString(HEALTH_CHECK);
    for (String kind : List.of("Route", "RateLimitPolicy")) {
      String key = "  resource.customizations.health.tollgate.dev_" + kind + ": |\n";
      assertThat(docs).contains(key);
      String block = docs.substring(docs.indexOf(key) + key.length());
      String embedded =
          block
              .lines()
              .takeWhile(line -> line.isEmpty() || line.startsWith("    "))
              .map(line -> line.isEmpty() ? line : line.substring(4))
              .collect(Collectors.joining("\n", "", "\n"));
      assertThat(embedded.strip()).as(kind).isEqualTo(script.strip());
    }
  }

  /** The health check's verdict on the resource as the API server has it now. */
  private String health(Class<? extends HasMetadata> kind, String name) {
    String json =
        OperatorFixture.get(
            KUBE.api(),
            namespace,
            HasMetadata.getPlural(kind) + "." + HasMetadata.getGroup(kind),
            name,
            "-o",
            "json");
    return ExternalCommand.run(
            Duration.ofSeconds(30),
            List.of("lua5.1", runner().toString(), HEALTH_CHECK.toString()),
            json)
        .orThrow()
        .output()
        .strip();
  }

  private static Path runner() {
    try {
      return Path.of(GitOpsHealthIT.class.getResource("/gitops/run-health-check.lua").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
