package dev.tollgate.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import dev.tollgate.api.common.ApiJson;
import dev.tollgate.e2e.system.Percentiles;
import dev.tollgate.testkit.ExternalCommand;
import dev.tollgate.testkit.PemPair;
import dev.tollgate.testkit.RepositoryFiles;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.kube.GatewayApiCrds;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tollgate the way users run it: {@code helm install} of {@code helm/tollgate} (bundled Redis, two
 * gateways, two operators, the HPA) with the quick start's values, then {@code examples/k8s} and a
 * few Routes and policies of the scenario applied with {@code kubectl}, and traffic sent to the
 * gateway Service through the cluster's kube-proxy. The steps run in order on one installation, as
 * an operator of the gateway would take them; each test is one acceptance point. A subclass
 * supplies the cluster and how this JVM reaches its Services and pods.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class InClusterScenario {
  static final String RELEASE = "tollgate";
  static final String NAMESPACE = "tollgate-system";
  static final String APPS = "shop";
  private static final String GATEWAY = RELEASE + "-gateway";
  private static final String OPERATOR = RELEASE + "-operator";
  private static final String ANALYTICS = RELEASE + "-analytics";
  private static final Map<String, String> GATEWAY_PODS =
      Map.of("app.kubernetes.io/instance", RELEASE, "app.kubernetes.io/component", "gateway");

  /** {@link #GATEWAY_PODS} as kubectl's {@code -l} takes it. */
  private static final String GATEWAY_SELECTOR =
      GATEWAY_PODS.entrySet().stream()
          .map(label -> label.getKey() + "=" + label.getValue())
          .collect(Collectors.joining(","));

  private static final Map<String, String> OPERATOR_PODS =
      Map.of("app.kubernetes.io/instance", RELEASE, "app.kubernetes.io/component", "operator");

  /** Pods start JVMs on a shared 2-core machine: roll-outs get minutes, not seconds. */
  private static final Duration ROLLOUT = Duration.ofMinutes(5);

  /** The tag of the images Jib built (e2e/pom.xml passes it). */
  static final String IMAGE_TAG = System.getProperty("tollgate.image.tag");

  private static final int LIMIT = 50;
  private static final int CONCURRENT = 500;
  private static final int GITOPS_EDITS = 8;
  private static final Pattern POLICY_QUOTA = Pattern.compile("\"total\";q=(\\d+);");

  private final List<String> figures = new CopyOnWriteArrayList<>();
  private final Helm chart = new Helm(RepositoryFiles.find("helm/tollgate"));
  private int gitopsLimit = 100_000;

  // --- what a cluster supplies ---------------------------------------------------------------

  abstract KubernetesClient client();

  abstract Path kubeConfigFile();

  abstract ExternalCommand.Result kubectl(String stdin, String... args);

  /** Chart values for images this cluster has besides the gateway's and operator's. */
  abstract Map<String, String> clusterValues();

  /** The image the example's echo Deployment runs in this cluster. */
  abstract String echoImage();

  /** The gateway Service as this JVM reaches it, through the cluster's kube-proxy. */
  abstract URI gatewayService();

  /** Port {@code port} of a pod, reached from this JVM. */
  abstract URI pod(Pod pod, int port);

  /** The gateway Service's HTTPS port, reached from this JVM (host and port; TLS spoken on it). */
  URI gatewayHttps() {
    return URI.create("https://" + gatewayService().getHost() + ":443/");
  }

  /** Pods, events and whatever else helps read a failure. */
  abstract String diagnostics();

  /** Runs once the chart is installed, before the examples are applied. */
  void afterInstall() {}

  // --- installation --------------------------------------------------------------------------

  @BeforeAll
  void installChartAndExamples() {
    // before the operator starts: it watches the Gateway API kinds where their CRDs exist
    kubectl(null, "apply", "--server-side", "-f", GatewayApiCrds.directory().toString()).orThrow();
    kubectl(null, "create", "namespace", NAMESPACE).orThrow();
    kubectl(null, "apply", "-n", NAMESPACE, "-f", example("install/jwks-secret.yaml")).orThrow();
    InstallCommand install =
        chart
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeConfig(kubeConfigFile())
            .withValuesFile(Path.of(example("install/values.yaml")))
            // Requests the 2-core node can hold for three gateways; 70 % of 100m is reached
            // by a few clients, so the HPA test needs no more load than the machine can make.
            // The HPA may not go beyond two gateways until that test raises the ceiling: the
            // load of the other tests would scale it up whenever it happened to.
            .set("gateway.resources.requests.cpu", "100m")
            .set("gateway.autoscaling.maxReplicas", "2")
            // 500 requests at once on a 2-core machine shared with the control plane, in pods
            // that request 100m of CPU: a decision can wait longer than the production budget of
            // 50 ms, which (failureMode closed) answers 503. With 1 s, 6 of 500 still timed out
            // once (the gateway's log said TIMEOUT); the burst tests the limit's exactness, not
            // how fast a starved pod decides.
            .set("gateway.limiterTimeout", "5s")
            .set("gatewayAPI.gatewayClass.create", "true")
            .set("gatewayAPI.gatewayClass.name", "tollgate")
            .set("gatewayAPI.listenerCertificates.enabled", "true");
    Map<String, String> values = new java.util.HashMap<>(clusterValues());
    // The images Jib built in this build, imported into the cluster.
    for (String component : List.of("gateway", "operator", "analytics")) {
      values.put(component + ".image.tag", IMAGE_TAG);
      values.put(component + ".image.pullPolicy", "Never");
    }
    for (var value : values.entrySet()) {
      install = install.set(value.getKey(), value.getValue());
    }
    Release release = install.call();
    assertThat(release.getStatus()).isEqualTo("deployed");
    afterInstall();

    kubectl(null, "create", "namespace", APPS).orThrow();
    kubectl(
            read(Path.of(example("01-echo.yaml")))
                .replace("image: busybox:1.37", "image: " + echoImage()),
            "apply",
            "-n",
            APPS,
            "-f",
            "-")
        .orThrow();
    kubectl(
            null,
            "apply",
            "-n",
            APPS,
            "-f",
            example("02-routes.yaml"),
            "-f",
            example("03-ratelimitpolicies.yaml"))
        .orThrow();
    apply(resource("cluster/routes.yaml") + "---\n" + resource("cluster/policies.yaml"));
    apply(resource("cluster/gateway-api.yaml"));
    apply(gitopsPolicy(gitopsLimit));
  }

  @AfterAll
  void printFigures() {
    System.out.println("In-cluster scenario (" + getClass().getSimpleName() + "):");
    figures.forEach(line -> System.out.println("  " + line));
  }

  // --- acceptance ----------------------------------------------------------------------------

  @Test
  @Order(1)
  void everyPodBecomesReadyThroughItsProbes() {
    await("every Deployment available")
        .atMost(ROLLOUT)
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              assertThat(readyReplicas(NAMESPACE, GATEWAY)).as(this::diagnostics).isEqualTo(2);
              assertThat(readyReplicas(NAMESPACE, OPERATOR)).isEqualTo(2);
              assertThat(readyReplicas(NAMESPACE, RELEASE + "-redis")).isEqualTo(1);
              assertThat(readyReplicas(NAMESPACE, ANALYTICS)).isEqualTo(2);
              assertThat(readyReplicas(APPS, "echo")).isEqualTo(2);
            });

    List<Pod> pods = client().pods().inNamespace(NAMESPACE).list().getItems();
    assertThat(pods).as("gateways, operators, analytics (2 each), Redis").hasSize(7);
    for (Pod pod : pods) {
      assertThat(pod.getStatus().getConditions())
          .as(pod.getMetadata().getName())
          .anySatisfy(
              c -> assertThat(c).extracting("type", "status").containsExactly("Ready", "True"));
      assertThat(pod.getSpec().getContainers())
          .allSatisfy(c -> assertThat(c.getReadinessProbe()).isNotNull());
      assertThat(pod.getSpec().getContainers())
          .allSatisfy(c -> assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue());
      String name = pod.getMetadata().getName();
      if (name.startsWith(GATEWAY) || name.startsWith(ANALYTICS)) {
        // Netty unpacks its epoll library into the /tmp emptyDir: with a read-only root file
        // system, that mount is what keeps the Redis connections off the slower NIO transport.
        String log = client().pods().inNamespace(NAMESPACE).withName(name).getLog();
        assertThat(log)
            .as(name + " log")
            .contains("Redis connections use the epoll transport")
            .doesNotContain("restricted method");
      }
    }
  }

  @Test
  @Order(2)
  void routesAndPoliciesAreAcceptedAndProgrammedByBothGateways() {
    await("Accepted and Programmed by 2/2")
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              List<String> rows =
                  jsonPath(
                          APPS,
                          "{range .items[*]}{.metadata.name}"
                              + " {.status.conditions[?(@.type==\"Accepted\")].status}"
                              + " {.status.conditions[?(@.type==\"Programmed\")].status}"
                              + " {.status.conditions[?(@.type==\"Programmed\")].message}{\"\\n\"}{end}",
                          "tgr,tgrl")
                      .lines()
                      .toList();
              assertThat(rows).hasSize(10);
              assertThat(rows)
                  .allSatisfy(
                      row ->
                          assertThat(row)
                              .matches("\\S+ True True .*")
                              .endsWith("applied by 2/2 gateways"));
            });
    System.out.println(kubectl(null, "get", "-n", APPS, "tgr,tgrl").orThrow().output());
  }

  @Test
  @Order(3)
  void trafficThroughTheServiceReachesTheEchoPodsWithJwtAndLimits() {
    URI gateway = gatewayService();
    assertThat(Traffic.get(gateway.resolve("/orders/1")).statusCode()).isEqualTo(401);

    String token = "Bearer " + token("alice", "internal");
    Set<String> echoPods = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response =
          Traffic.get(gateway.resolve("/orders/" + i + "?q=1"), "Authorization", token);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body())
          .contains("request: GET /cgi-bin/echo/" + i + "?q=1")
          .contains("HTTP_X_TOLLGATE_SUBJECT=alice");
      echoPods.add(response.body().lines().findFirst().orElseThrow());
    }
    assertThat(echoPods).as("both echo pods answered").hasSize(2);

    // The quick start's curl loop: /public allows 10 per minute per client.
    HttpResponse<String> limited = null;
    for (int i = 0; i < 15 && limited == null; i++) {
      HttpResponse<String> response = Traffic.get(gateway.resolve("/public/hello"));
      assertThat(response.statusCode()).isIn(200, 429);
      limited = response.statusCode() == 429 ? response : null;
    }
    assertThat(limited).as("a 429 within 15 requests").isNotNull();
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(limited.headers().firstValue("RateLimit-Policy"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("\"per-client\";q=10;w=60"));
    assertThat(limited.headers().firstValue("RateLimit")).isPresent();
    assertThat(limited.body()).contains("quota-exceeded");
  }

  @Test
  @Order(4)
  void anHttpRouteOnTheChartsGatewayClassRoutesByHeaderRewritesAndRedirects() {
    String serviceIp = gatewayService().getHost();
    await("Gateway programmed at the gateway Service, HTTPRoute accepted")
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              assertThat(
                      jsonPath(
                          APPS,
                          "{.status.conditions[?(@.type==\"Programmed\")].status}"
                              + " {.status.addresses[0].value}"
                              + " {.status.listeners[0].attachedRoutes}",
                          "gateway/public"))
                  .isEqualTo("True " + serviceIp + " 1");
              assertThat(
                      jsonPath(
                          APPS, "{.status.parents[0].conditions[*].reason}", "httproute/store"))
                  .isEqualTo("Accepted ResolvedRefs");
            });
    URI gateway = gatewayService();
    await("the HTTPRoute served")
        .atMost(Duration.ofMinutes(1))
        .until(() -> Traffic.get(gateway.resolve("/store/shoes")).statusCode() == 200);

    HttpResponse<String> canary =
        Traffic.get(gateway.resolve("/store/shoes?size=9"), "X-Env", "canary");
    assertThat(canary.statusCode()).as(canary.body()).isEqualTo(200);
    assertThat(canary.body())
        .contains("request: GET /cgi-bin/echo/canary/shoes?size=9")
        .contains("HTTP_X_STAGE=canary")
        .contains("HTTP_HOST=" + serviceIp);
    assertThat(canary.headers().firstValue("X-Served-By")).hasValue("tollgate");

    HttpResponse<String> main = Traffic.get(gateway.resolve("/store/shoes"));
    assertThat(main.body()).contains("request: GET /cgi-bin/echo/shoes").doesNotContain("X_STAGE");

    HttpResponse<String> moved = Traffic.get(gateway.resolve("/shop-old"));
    assertThat(moved.statusCode()).isEqualTo(301);
    assertThat(moved.headers().firstValue("Location")).hasValue("http://" + serviceIp + "/store");
  }

  @Test
  @Order(5)
  void aGatewayHttpsListenerIsServedWithItsSecretsCertificate() throws IOException {
    String host = "secure.example.test";
    Path dir = TempDirs.create("tollgate-in-cluster-tls");
    try {
      PemPair pair = PemPair.create(dir, host);
      Path caFile = Files.writeString(dir.resolve("ca.crt"), pair.certificate());
      long start = System.nanoTime();
      apply(
          """
          apiVersion: v1
          kind: Secret
          metadata: {name: secure-example-test}
          type: kubernetes.io/tls
          data: {tls.crt: %s, tls.key: %s}
          """
              .formatted(pair.certificateBase64(), pair.keyBase64()));
      apply(resource("cluster/gateway-api-https.yaml"));
      await("the HTTPS listener resolved and programmed, the HTTPRoute attached")
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(
              () ->
                  assertThat(
                          jsonPath(
                              APPS,
                              "{.status.listeners[0].conditions[?(@.type==\"ResolvedRefs\")].status}"
                                  + " {.status.listeners[0].conditions[?(@.type==\"Programmed\")].status}"
                                  + " {.status.listeners[0].attachedRoutes}",
                              "gateway/secure"))
                      .isEqualTo("True True 1"));
      // The operator writes the bundle Secret at once and annotates the gateway pods with its
      // version, so that their kubelets remount it now rather than at their periodic sync; the
      // gateway polls the files.
      try {
        await("the gateway pods annotated with the bundle's version")
            .atMost(Duration.ofMinutes(1))
            .ignoreExceptions()
            .untilAsserted(
                () ->
                    assertThat(
                            jsonPath(
                                    NAMESPACE,
                                    "{range .items[*]}{.metadata.annotations.tollgate\\.dev/"
                                        + "listener-certificates-version}{\"\\n\"}{end}",
                                    "pods",
                                    "-l",
                                    GATEWAY_SELECTOR)
                                .lines())
                        .isNotEmpty()
                        .allMatch(
                            jsonPath(
                                        NAMESPACE,
                                        "{.metadata.resourceVersion}",
                                        "secret/" + RELEASE + "-listener-certificates")
                                    .strip()
                                ::equals));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            e.getMessage()
                + "\noperator logs:\n"
                + kubectl(null, "logs", "-n", NAMESPACE, "deploy/" + OPERATOR, "--tail=80")
                    .output(),
            e);
      }
      figures.add(
          "HTTPS listener of a Gateway: gateway pods told to remount the bundle %.0f s after apply"
              .formatted((System.nanoTime() - start) / 1e9));
      URI https = gatewayHttps();
      List<String> curl =
          List.of(
              "curl",
              "-sS",
              "--max-time",
              "5",
              "--cacert",
              caFile.toString(),
              "--resolve",
              host + ":" + https.getPort() + ":" + https.getHost(),
              "-w",
              "\n%{http_code}",
              "https://" + host + ":" + https.getPort() + "/secure/shoes");
      await("HTTPS served by the gateway pods with the listener's certificate")
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () -> {
                ExternalCommand.Result result =
                    ExternalCommand.run(Duration.ofSeconds(10), curl, null);
                assertThat(result.exitCode()).as(result.output()).isZero();
                assertThat(result.output())
                    .contains("request: GET /cgi-bin/echo/shoes")
                    .endsWith("200");
              });
      figures.add(
          "HTTPS listener of a Gateway: served with its Secret's certificate %.0f s after apply"
              .formatted((System.nanoTime() - start) / 1e9));
    } finally {
      TempDirs.deleteRecursively(dir);
    }
  }

  @Test
  @Order(6)
  void kubectlTollgateExplainAsksAGatewayThroughTheServiceProxy() {
    ExternalCommand.Result explained =
        ExternalCommand.run(
            Duration.ofMinutes(2),
            List.of(
                "env",
                "KUBECONFIG=" + kubeConfigFile(),
                "PATH=" + RepositoryFiles.find("kubectl-plugin") + ":" + System.getenv("PATH"),
                "kubectl",
                "tollgate",
                "explain",
                "-n",
                APPS,
                "orders",
                "--header",
                "Authorization=Bearer " + token("alice", "internal")));

    assertThat(explained.orThrow().output())
        .contains("\"route\" : \"shop/orders\"")
        .contains("\"matchedPath\" : \"/orders\"")
        .contains("\"subject\" : \"alice\"")
        .contains("\"tier\" : \"internal\"")
        .contains("\"name\" : \"route-total\"")
        .containsPattern("\"remaining\" : \\d+")
        .doesNotContain("does not meet Route");
  }

  @Test
  @Order(7)
  void namespaceEditAndViewUsersGetRoutesAndPoliciesThroughTheDefaultRoles() {
    kubectl(
            null,
            "create",
            "rolebinding",
            "team-edit",
            "-n",
            APPS,
            "--clusterrole=edit",
            "--user=team-dev")
        .orThrow();
    kubectl(
            null,
            "create",
            "rolebinding",
            "team-view",
            "-n",
            APPS,
            "--clusterrole=view",
            "--user=team-viewer")
        .orThrow();

    await("the aggregated rules in edit and view")
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () -> {
              assertThat(canI("team-dev", "create", "routes.tollgate.dev")).isTrue();
              assertThat(canI("team-viewer", "list", "ratelimitpolicies.tollgate.dev")).isTrue();
            });
    assertThat(canI("team-dev", "delete", "ratelimitpolicies.tollgate.dev")).isTrue();
    assertThat(canI("team-dev", "patch", "routes.tollgate.dev", "--subresource=status")).isFalse();
    assertThat(canI("team-viewer", "create", "routes.tollgate.dev")).isFalse();
    assertThat(canI("team-viewer", "get", "routes.tollgate.dev")).isTrue();
    assertThat(
            kubectl(null, "get", "tollgate", "-n", APPS, "--as=team-viewer", "-o", "name")
                .orThrow()
                .output())
        .contains("route.tollgate.dev/orders", "ratelimitpolicy.tollgate.dev/orders-per-user");
  }

  private boolean canI(String user, String verb, String resource, String... more) {
    List<String> args =
        new ArrayList<>(List.of("auth", "can-i", verb, resource, "-n", APPS, "--as=" + user));
    args.addAll(List.of(more));
    return kubectl(null, args.toArray(String[]::new)).output().strip().equals("yes");
  }

  @Test
  @Order(8)
  void aLimitOfFiftyIsExactAcrossBothGatewayPodsUnderConcurrentRequests() {
    List<Pod> gateways = readyGateways();
    assertThat(gateways).hasSize(2);
    Map<String, Double> before = requestCounts(gateways, "shop/limited");

    Map<Integer, Long> statuses = Traffic.burst(gatewayService().resolve("/limited/x"), CONCURRENT);

    assertThat(statuses)
        .as(
            () ->
                "%d concurrent requests against a limit of %d; the gateways' logs:%n%s"
                    .formatted(CONCURRENT, LIMIT, gatewayLogs()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(200, (long) LIMIT, 429, (long) (CONCURRENT - LIMIT)));
    Map<String, Double> after = requestCounts(gateways, "shop/limited");
    for (Pod pod : gateways) {
      String name = pod.getMetadata().getName();
      assertThat(after.get(name) - before.get(name)).as("requests served by " + name).isPositive();
    }
    figures.add(
        "limit %d, %d concurrent requests: %s; per gateway pod: %s"
            .formatted(LIMIT, CONCURRENT, statuses, after));
  }

  @Test
  @Order(9)
  void aGitOpsEditIsEnforcedByBothGatewayPods() throws InterruptedException {
    List<Pod> gateways = readyGateways();
    assertThat(gateways).as(this::diagnostics).hasSize(2);
    List<Double> millis = new CopyOnWriteArrayList<>();
    for (int edit = 1; edit <= GITOPS_EDITS; edit++) {
      gitopsLimit++;
      long start = System.nanoTime();
      apply(gitopsPolicy(gitopsLimit));
      List<Thread> watchers = new ArrayList<>();
      for (Pod pod : gateways) {
        URI uri = pod(pod, 8080).resolve("/gitops/x");
        int expected = gitopsLimit;
        watchers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      await()
                          .atMost(Duration.ofSeconds(60))
                          .pollInterval(Duration.ofMillis(20))
                          .until(() -> quotaOf(Traffic.get(uri)) == expected);
                      millis.add((System.nanoTime() - start) / 1e6);
                    }));
      }
      for (Thread watcher : watchers) {
        watcher.join(Duration.ofSeconds(90));
      }
    }
    assertThat(millis).as("every edit seen by both pods").hasSize(GITOPS_EDITS * gateways.size());
    Percentiles p = Percentiles.of(millis);
    figures.add(
        "GitOps edit (kubectl apply) until both gateway pods enforce it, %d samples: p50 %.0f ms, p99 %.0f ms, max %.0f ms"
            .formatted(p.count(), p.p50(), p.p99(), p.max()));
  }

  @Test
  @Order(10)
  void aDeletedGatewayPodIsReplacedWithoutOverAdmission() {
    List<Pod> before = readyGateways();
    // the survivor must be among the Ready pods afterwards: with one Ready pod now, it cannot be
    assertThat(before).as(this::diagnostics).hasSize(2);
    String victim = before.getFirst().getMetadata().getName();
    Set<String> old = names(before);
    Map<Integer, Long> statuses;
    Duration elapsed;
    try (Traffic.Load load = new Traffic.Load(gatewayService().resolve("/steady/x"), 4)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> load.counts().containsKey(200));
      kubectl(null, "delete", "pod", "-n", NAMESPACE, victim, "--wait=false").orThrow();
      await("a new gateway pod Ready in the deleted one's place")
          .atMost(ROLLOUT)
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                List<Pod> now = readyGateways();
                assertThat(names(now)).as(this::diagnostics).doesNotContain(victim).hasSize(2);
                assertThat(Collections.disjoint(names(now), old)).isFalse();
              });
      long sent = load.total();
      await("more requests after the replacement")
          .atMost(Duration.ofSeconds(30))
          .until(() -> load.total() > sent + 100);
      statuses = load.stop();
      elapsed = load.elapsed();
    }
    long admitted = statuses.getOrDefault(200, 0L);
    double seconds = elapsed.toMillis() / 1000.0;
    // A token bucket of 10 refilled at 5/s admits at most 10 + 5 t in t seconds; a second more
    // covers requests decided just before the load's clock started.
    assertThat(admitted)
        .as("admitted in %.1f s: %s", seconds, statuses)
        .isLessThanOrEqualTo((long) Math.floor(10 + 5 * (seconds + 1)))
        .isGreaterThan((long) (5 * seconds / 2));
    figures.add(
        "gateway pod deleted under load on a 5/s limit: %s in %.1f s (admitted %d, bound %d)"
            .formatted(statuses, seconds, admitted, (long) Math.floor(10 + 5 * (seconds + 1))));
  }

  @Test
  @Order(11)
  void theStandbyOperatorTakesOverFromADeletedLeaderWithoutAWriteStorm() {
    String leader = leaseHolder();
    assertThat(operatorPods()).hasSize(2).contains(leader);
    long versionBefore = configVersion();

    long start = System.nanoTime();
    kubectl(null, "delete", "pod", "-n", NAMESPACE, leader, "--wait=false").orThrow();
    // The standby, or the Deployment's replacement for the deleted pod when it starts before the
    // Lease expires: either is a live operator other than the deleted one.
    await("another operator holds the Lease")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () ->
                assertThat(leaseHolder())
                    .as("Lease holder; operator pods now: %s", operatorPods())
                    .isNotEmpty()
                    .isNotEqualTo(leader));
    String successor = leaseHolder();
    double takeover = (System.nanoTime() - start) / 1e9;

    // The new leader compiles the same resources into the same snapshot: it may write it once,
    // never again and again.
    await()
        .during(Duration.ofSeconds(20))
        .atMost(Duration.ofSeconds(40))
        .until(() -> configVersion() <= versionBefore + 1);
    figures.add(
        "operator leader %s deleted: %s took over in %.1f s; config version %d -> %d"
            .formatted(leader, successor, takeover, versionBefore, configVersion()));
  }

  @Test
  @Order(12)
  void loadMakesTheHpaAddAGatewayPodThatServesTheCurrentConfigBeforeItIsReady() {
    Release raised = upgrade("gateway.autoscaling.maxReplicas", "3");
    assertThat(raised.getRevision()).isEqualTo("2");
    Set<String> before = names(readyGateways());
    assertThat(before).hasSize(2);
    long current = configVersion();
    Map<String, List<String>> samples = new ConcurrentHashMap<>();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = Thread.ofVirtual().start(() -> watchNewGateways(before, samples, watching));
    long start = System.nanoTime();
    double scaledAfter;
    try (Traffic.Load load = new Traffic.Load(gatewayService().resolve("/public/load"), 8)) {
      await("the HPA wants a third gateway")
          .atMost(Duration.ofMinutes(6))
          .pollInterval(Duration.ofSeconds(2))
          .until(() -> desiredGateways() >= 3);
      scaledAfter = (System.nanoTime() - start) / 1e9;
      await("the third gateway Ready")
          .atMost(ROLLOUT)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> readyGateways().size() >= 3);
      // The watcher samples pod by pod, a pass taking up to seconds under load: let it record the
      // Ready state it is there to see before it is stopped.
      await("the watcher saw the new gateway Ready")
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(samples)
                      .isNotEmpty()
                      .allSatisfy(
                          (pod, seen) ->
                              assertThat(seen)
                                  .as("%s seen so far", pod)
                                  .anyMatch(sample -> sample.startsWith("ready"))));
      load.stop();
    } finally {
      watching.set(false);
    }
    try {
      watcher.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double readyAfter = (System.nanoTime() - start) / 1e9;
    assertThat(samples).as("a new gateway pod was watched").isNotEmpty();
    samples.forEach(
        (pod, seen) -> {
          assertThat(seen).as("%s was seen Ready: %s", pod, seen).contains("ready v" + current);
          assertThat(seen)
              .as("%s serves only the current config v%d", pod, current)
              .filteredOn(s -> s.startsWith("ready") || s.startsWith("serving"))
              .allSatisfy(s -> assertThat(s).endsWith(" v" + current));
        });
    figures.add(
        "HPA under load: a third gateway wanted after %.0f s, Ready after %.0f s; samples of the new pod: %s"
            .formatted(scaledAfter, readyAfter, samples));
  }

  @Test
  @Order(13)
  void helmUpgradeWithChangedValuesRollsTheGateways() {
    Release upgraded = upgrade("gateway.limiterTimeout", "2s");
    assertThat(upgraded.getRevision()).isEqualTo("3");
    kubectl(
            null,
            "rollout",
            "status",
            "-n",
            NAMESPACE,
            "deployment/" + GATEWAY,
            "--timeout=" + ROLLOUT.toSeconds() + "s")
        .orThrow();

    List<Pod> gateways = readyGateways();
    assertThat(gateways)
        .isNotEmpty()
        .allSatisfy(
            pod ->
                assertThat(pod.getSpec().getContainers().getFirst().getEnv())
                    .anySatisfy(
                        env ->
                            assertThat(env)
                                .extracting("name", "value")
                                .containsExactly("TOLLGATE_LIMITER_TIMEOUT", "2s")));
    HttpResponse<String> response =
        Traffic.get(
            gatewayService().resolve("/orders/after-upgrade"),
            "Authorization",
            "Bearer " + token("bob", "internal"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  @Order(14)
  void helmUninstallKeepsTheCrdsAndTheRoutesAndPolicies() {
    Helm.uninstall(RELEASE).withNamespace(NAMESPACE).withKubeConfig(kubeConfigFile()).call();

    await()
        .atMost(Duration.ofMinutes(2))
        .untilAsserted(
            () ->
                assertThat(client().apps().deployments().inNamespace(NAMESPACE).list().getItems())
                    .isEmpty());
    assertThat(
            kubectl(null, "get", "crd", "routes.tollgate.dev", "ratelimitpolicies.tollgate.dev")
                .succeeded())
        .isTrue();
    assertThat(kubectl(null, "get", "-n", APPS, "tgr,tgrl", "-o", "name").orThrow().output())
        .contains("route.tollgate.dev/orders")
        .contains("route.tollgate.dev/limited")
        .contains("ratelimitpolicy.tollgate.dev/orders-per-user")
        .contains("ratelimitpolicy.tollgate.dev/gitops");
  }

  // --- helpers -------------------------------------------------------------------------------

  /** {@code helm upgrade --reuse-values --set key=value} on the live release. */
  private Release upgrade(String key, String value) {
    return chart
        .upgrade()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeConfig(kubeConfigFile())
        .reuseValues()
        .set(key, value)
        .call();
  }

  private void apply(String yaml) {
    kubectl(yaml, "apply", "-n", APPS, "-f", "-").orThrow();
  }

  /**
   * {@code kubectl get -n <namespace> <what...> -o jsonpath=<expression>}: its output as kubectl
   * wrote it, failing on a non-zero exit.
   */
  private String jsonPath(String namespace, String expression, String... what) {
    List<String> args = new ArrayList<>(List.of("get", "-n", namespace));
    args.addAll(List.of(what));
    args.addAll(List.of("-o", "jsonpath=" + expression));
    return kubectl(null, args.toArray(String[]::new)).orThrow().output();
  }

  private static String gitopsPolicy(int limit) {
    return resource("cluster/gitops-policy.yaml").replace("${LIMIT}", Integer.toString(limit));
  }

  private int readyReplicas(String namespace, String deployment) {
    Deployment d = client().apps().deployments().inNamespace(namespace).withName(deployment).get();
    if (d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null) {
      return 0;
    }
    return d.getStatus().getReadyReplicas();
  }

  /** The last lines each gateway pod logged, for a failure's message. */
  private String gatewayLogs() {
    return kubectl(
            null,
            "logs",
            "-n",
            NAMESPACE,
            "-l",
            GATEWAY_SELECTOR,
            "--prefix",
            "--tail=40",
            "--max-log-requests=5")
        .output();
  }

  /** Gateway pods that are Ready and not terminating, by name. */
  List<Pod> readyGateways() {
    return client()
        .pods()
        .inNamespace(NAMESPACE)
        .withLabels(GATEWAY_PODS)
        .list()
        .getItems()
        .stream()
        .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
        .filter(InClusterScenario::isReady)
        .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
        .toList();
  }

  private static boolean isReady(Pod pod) {
    List<PodCondition> conditions =
        pod.getStatus() == null ? List.of() : pod.getStatus().getConditions();
    return conditions.stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static Set<String> names(List<Pod> pods) {
    Set<String> names = new HashSet<>();
    pods.forEach(pod -> names.add(pod.getMetadata().getName()));
    return names;
  }

  private int desiredGateways() {
    var hpa =
        client()
            .autoscaling()
            .v2()
            .horizontalPodAutoscalers()
            .inNamespace(NAMESPACE)
            .withName(GATEWAY)
            .get();
    return hpa.getStatus() == null || hpa.getStatus().getDesiredReplicas() == null
        ? 0
        : hpa.getStatus().getDesiredReplicas();
  }

  private Set<String> operatorPods() {
    return names(
        client().pods().inNamespace(NAMESPACE).withLabels(OPERATOR_PODS).list().getItems());
  }

  private String leaseHolder() {
    var lease = client().leases().inNamespace(NAMESPACE).withName(OPERATOR).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** The config version a Ready gateway pod serves ({@code /admin/config}). */
  private long configVersion() {
    return adminConfig(readyGateways().getFirst()).path("version").asLong();
  }

  private JsonNode adminConfig(Pod pod) {
    try {
      return ApiJson.mapper().readTree(Traffic.get(pod(pod, 9090).resolve("/admin/config")).body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sum of {@code tollgate_requests_total} for one route on each pod's admin port. */
  private Map<String, Double> requestCounts(List<Pod> pods, String route) {
    Map<String, Double> counts = new java.util.TreeMap<>();
    for (Pod pod : pods) {
      double sum =
          Traffic.get(pod(pod, 9090).resolve("/metrics"))
              .body()
              .lines()
              .filter(l -> l.startsWith("tollgate_requests_total{"))
              .filter(l -> l.contains("route=\"" + route + "\""))
              .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
              .sum();
      counts.put(pod.getMetadata().getName(), sum);
    }
    return counts;
  }

  /**
   * Samples, ten times a second, what each gateway pod not in {@code known} says on its admin port
   * from the moment it has an IP: "loading" (no config yet), "serving vN" (config loaded, not Ready
   * yet) or "ready vN"; repeated samples are recorded once.
   */
  private void watchNewGateways(
      Set<String> known, Map<String, List<String>> samples, AtomicBoolean watching) {
    while (watching.get()) {
      for (Pod pod :
          client().pods().inNamespace(NAMESPACE).withLabels(GATEWAY_PODS).list().getItems()) {
        String name = pod.getMetadata().getName();
        if (known.contains(name) || pod.getStatus() == null || pod.getStatus().getPodIP() == null) {
          continue;
        }
        String sample;
        try {
          JsonNode config = adminConfig(pod);
          sample =
              !config.path("loaded").asBoolean()
                  ? "loading"
                  : (isReady(client().pods().inNamespace(NAMESPACE).withName(name).get())
                          ? "ready v"
                          : "serving v")
                      + config.path("version").asLong();
        } catch (RuntimeException notAnsweringYet) {
          sample = "starting";
        }
        List<String> seen = samples.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>());
        if (seen.isEmpty() || !seen.getLast().equals(sample)) {
          seen.add(sample);
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static int quotaOf(HttpResponse<String> response) {
    Matcher m = POLICY_QUOTA.matcher(response.headers().firstValue("RateLimit-Policy").orElse(""));
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** A token from the quick start's own script, as a user would make one. */
  static String token(String subject, String plan) {
    return ExternalCommand.run(
            Duration.ofSeconds(30), List.of(example("jwt/token.sh"), subject, plan))
        .orThrow()
        .output()
        .strip();
  }

  static String example(String file) {
    return RepositoryFiles.find("examples/k8s/" + file).toString();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = InClusterScenario.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
