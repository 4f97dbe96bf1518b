package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code helm template} produces with nothing but the chart's default values. */
class ChartDefaultsIT {
  private static final RenderedManifest MANIFEST = TollgateChart.render("tg").manifest();

  @Test
  void rendersTheWholeSystemWithBundledRedis() {
    assertThat(MANIFEST.kindsAndNames())
        .containsExactlyInAnyOrder(
            "CustomResourceDefinition/ratelimitpolicies.tollgate.dev",
            "CustomResourceDefinition/routes.tollgate.dev",
            "ServiceAccount/tg-tollgate-operator",
            "ServiceAccount/tg-tollgate-gateway",
            "ServiceAccount/tg-tollgate-analytics",
            "ClusterRole/tg-tollgate-operator",
            "ClusterRoleBinding/tg-tollgate-operator",
            "ClusterRole/tg-tollgate-operator-gateway-classes",
            "ClusterRoleBinding/tg-tollgate-operator-gateway-classes",
            "ClusterRole/tg-tollgate-edit",
            "ClusterRole/tg-tollgate-view",
            "Role/tg-tollgate-operator-leases",
            "RoleBinding/tg-tollgate-operator-leases",
            "Deployment/tg-tollgate-operator",
            "Deployment/tg-tollgate-gateway",
            "Deployment/tg-tollgate-redis",
            "Deployment/tg-tollgate-analytics",
            "Service/tg-tollgate-gateway",
            "Service/tg-tollgate-gateway-admin",
            "Service/tg-tollgate-operator-metrics",
            "Service/tg-tollgate-redis",
            "Service/tg-tollgate-analytics",
            "Secret/tg-tollgate-redis",
            "NetworkPolicy/tg-tollgate-gateway",
            "NetworkPolicy/tg-tollgate-analytics",
            "NetworkPolicy/tg-tollgate-operator",
            "NetworkPolicy/tg-tollgate-redis",
            "HorizontalPodAutoscaler/tg-tollgate-gateway",
            "PodDisruptionBudget/tg-tollgate-gateway",
            "PodDisruptionBudget/tg-tollgate-operator");
  }

  @Test
  void labelsEveryObjectTheKubernetesWay() {
    assertThat(MANIFEST.objects())
        .allSatisfy(
            object ->
                assertThat(object.getMetadata().getLabels())
                    .contains(
                        entry("app.kubernetes.io/name", "tollgate"),
                        entry("app.kubernetes.io/instance", "tg"),
                        entry("app.kubernetes.io/managed-by", "Helm"),
                        entry("app.kubernetes.io/part-of", "tollgate"),
                        entry("app.kubernetes.io/version", "0.1.0"))
                    .containsKey("app.kubernetes.io/component"));
  }

  @Test
  void runsTwoOperatorReplicasWithLeaderElectionAndItsOwnServiceAccount() {
    Deployment operator = MANIFEST.get(Deployment.class, "tg-tollgate-operator");
    PodSpec pod = operator.getSpec().getTemplate().getSpec();

    assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
    assertThat(pod.getServiceAccountName()).isEqualTo("tg-tollgate-operator");
    assertThat(ContainerEnv.plain(pod.getContainers().getFirst()))
        .containsEntry("TOLLGATE_REDIS_URL", "redis://tg-tollgate-redis:6379")
        .containsEntry("TOLLGATE_GATEWAY_NAME", "tg")
        .containsEntry("TOLLGATE_WATCH_NAMESPACES", "")
        .containsEntry("TOLLGATE_LEADER_ELECTION_LEASE_NAME", "tg-tollgate-operator")
        .containsEntry("TOLLGATE_LEADER_ELECTION_LEASE_NAMESPACE", "tollgate-system");
    assertThat(
            ContainerEnv.variable(pod.getContainers().getFirst(), "TOLLGATE_OPERATOR_IDENTITY")
                .getValueFrom()
                .getFieldRef()
                .getFieldPath())
        .as("the pod name is the leader-election identity")
        .isEqualTo("metadata.name");
  }

  @Test
  void tenancyIsClosedByDefault() {
    Container operator = MANIFEST.container("tg-tollgate-operator");

    assertThat(ContainerEnv.plain(operator))
        .as("no namespace may use static or name backends; no host is shared")
        .containsEntry("TOLLGATE_EXTERNAL_BACKEND_NAMESPACES", "")
        .containsEntry("TOLLGATE_SHARED_HOSTS", "")
        .containsEntry("TOLLGATE_CLUSTER_NETWORKS", "")
        .containsEntry("TOLLGATE_GATEWAY_PORTS", "8080,9090")
        .containsEntry(
            "TOLLGATE_GATEWAY_SERVICES",
            "tollgate-system/tg-tollgate-gateway,tollgate-system/tg-tollgate-gateway-admin");
  }

  @Test
  void operatorProbesAndMetricsShareItsHttpPort() {
    Container operator = MANIFEST.container("tg-tollgate-operator");

    assertThat(ContainerEnv.plain(operator)).containsEntry("TOLLGATE_OPERATOR_HTTP_PORT", "8081");
    assertThat(operator.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("metrics:8081");
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(operator.getReadinessProbe().getHttpGet().getPort().getStrVal())
        .isEqualTo("metrics");
  }

  /** The port opens after the informers synced: the liveness probe must not kill it before. */
  @Test
  void theOperatorsLivenessProbeWaitsForItsStart() {
    Container operator = MANIFEST.container("tg-tollgate-operator");

    assertThat(operator.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    assertThat(
            operator.getStartupProbe().getPeriodSeconds()
                * operator.getStartupProbe().getFailureThreshold())
        .isEqualTo(300);
  }

  /** A pod template that changes recreates the pod, and this Redis keeps nothing across that. */
  @Test
  void theBundledRedisPodCarriesNoVersionAnUpgradeWouldChange() {
    Map<String, String> labels =
        MANIFEST
            .get(Deployment.class, "tg-tollgate-redis")
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();

    assertThat(labels)
        .doesNotContainKeys("helm.sh/chart", "app.kubernetes.io/version")
        .contains(entry("app.kubernetes.io/component", "redis"));
  }

  @Test
  void disruptionBudgetsLetUnreadyPodsBeEvicted() {
    assertThat(MANIFEST.all(PodDisruptionBudget.class))
        .hasSize(2)
        .allSatisfy(
            pdb ->
                assertThat(pdb.getSpec().getUnhealthyPodEvictionPolicy()).isEqualTo("AlwaysAllow"));
  }

  @Test
  void gatewayGetsNoApiTokenAndAServiceAccountOfItsOwn() {
    PodSpec pod = gatewayPod();

    assertThat(pod.getServiceAccountName()).isEqualTo("tg-tollgate-gateway");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(
            MANIFEST
                .get(ServiceAccount.class, "tg-tollgate-gateway")
                .getAutomountServiceAccountToken())
        .isFalse();
  }

  @Test
  void gatewayIsConfiguredFromTheEnvironmentAsDesignSays() {
    assertThat(ContainerEnv.plain(gatewayPod().getContainers().getFirst()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("TOLLGATE_REDIS_URL", "redis://tg-tollgate-redis:6379"),
                Map.entry("TOLLGATE_REDIS_USERNAME", "gateway"),
                Map.entry("TOLLGATE_GATEWAY_NAME", "tg"),
                Map.entry("TOLLGATE_LOG_FORMAT", "json"),
                Map.entry("TOLLGATE_LOG_LEVEL", "info"),
                Map.entry("TOLLGATE_PORT", "8080"),
                Map.entry("TOLLGATE_ADMIN_PORT", "9090"),
                Map.entry("TOLLGATE_CLIENT_HEADER_TIMEOUT", "60s"),
                Map.entry("TOLLGATE_CLIENT_BODY_TIMEOUT", "60s"),
                Map.entry("TOLLGATE_CLIENT_SEND_TIMEOUT", "60s"),
                Map.entry("TOLLGATE_KEEPALIVE_TIMEOUT", "75s"),
                Map.entry("TOLLGATE_MAX_CONNECTIONS", "10000"),
                Map.entry("TOLLGATE_MAX_REQUESTS_IN_FLIGHT", "2000"),
                Map.entry("TOLLGATE_UNDERSCORE_HEADERS", "drop"),
                Map.entry("TOLLGATE_CLIENT_IPV6_PREFIX", "64"),
                Map.entry("TOLLGATE_H2_MAX_CONCURRENT_STREAMS", "128"),
                Map.entry("TOLLGATE_H2_INITIAL_WINDOW_SIZE", "262144"),
                Map.entry("TOLLGATE_H2_MAX_RAPID_RESETS", "100"),
                Map.entry("TOLLGATE_WEBSOCKET_MAX_CONNECTIONS", "1000"),
                Map.entry("TOLLGATE_WEBSOCKET_IDLE_TIMEOUT", "5m"),
                Map.entry("TOLLGATE_WEBSOCKET_MAX_LIFETIME", "24h"),
                Map.entry("TOLLGATE_LIMITER_TIMEOUT", "50ms"),
                Map.entry("TOLLGATE_LIMITER_REPLICAS", "2"),
                Map.entry("TOLLGATE_ACCESS_LOG", "off"),
                Map.entry("TOLLGATE_ACCESS_LOG_SAMPLE", "1"),
                Map.entry("TOLLGATE_ACCESS_STREAM", "on"),
                Map.entry("TOLLGATE_ACCESS_STREAM_MAXLEN", "100000"),
                Map.entry("TOLLGATE_ACCESS_STREAM_QUEUE", "10000"),
                Map.entry("TOLLGATE_DRAIN_TIMEOUT", "20s"),
                Map.entry(
                    "JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError")));
  }

  @Test
  void gatewayAdminPortListensOnThePodIpOnly() {
    assertThat(
            ContainerEnv.variable(
                    gatewayPod().getContainers().getFirst(), "TOLLGATE_ADMIN_BIND_ADDRESS")
                .getValueFrom()
                .getFieldRef()
                .getFieldPath())
        .isEqualTo("status.podIP");
  }

  @Test
  void gatewayProbesTheAdminPortAndHasResourcesAndSpreads() {
    PodSpec pod = gatewayPod();
    Container gateway = pod.getContainers().getFirst();

    assertThat(gateway.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080", "admin:9090");
    assertThat(gateway.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    assertThat(gateway.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    assertThat(gateway.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(gateway.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    assertThat(gateway.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(gateway.getResources().getLimits()).containsKey("memory");

    Map<String, String> podLabels =
        MANIFEST
            .get(Deployment.class, "tg-tollgate-gateway")
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();
    assertThat(pod.getTopologySpreadConstraints())
        .extracting(c -> c.getTopologyKey())
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    assertThat(pod.getTopologySpreadConstraints())
        .allSatisfy(
            c -> assertThat(podLabels).containsAllEntriesOf(c.getLabelSelector().getMatchLabels()));
  }

  @Test
  void gatewayStopsTakingConnectionsBeforeItDrainsWithinTheGracePeriod() {
    PodSpec pod = gatewayPod();
    Container gateway = pod.getContainers().getFirst();

    assertThat(gateway.getLifecycle().getPreStop().getExec().getCommand())
        .containsExactly("sleep", "5");
    // 5 s pre-stop sleep + 20 s drain leave headroom before the kill at 30 s.
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);
  }

  @Test
  void publicServiceMapsPort80ToTheProxyAndAdminStaysOnItsOwnClusterIpService() {
    Service gateway = MANIFEST.get(Service.class, "tg-tollgate-gateway");
    Service admin = MANIFEST.get(Service.class, "tg-tollgate-gateway-admin");

    assertThat(gateway.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getPort()).isEqualTo(80);
              assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
            });
    assertThat(admin.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(admin.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getPort()).isEqualTo(9090);
              assertThat(port.getTargetPort().getStrVal()).isEqualTo("admin");
            });
    assertThat(gatewayPodLabels()).containsAllEntriesOf(gateway.getSpec().getSelector());
    assertThat(gatewayPodLabels()).containsAllEntriesOf(admin.getSpec().getSelector());
  }

  @Test
  void autoscalesTheGatewayOnCpuAndLeavesReplicasToTheHpa() {
    HorizontalPodAutoscaler hpa =
        MANIFEST.get(HorizontalPodAutoscaler.class, "tg-tollgate-gateway");

    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("tg-tollgate-gateway");
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
    assertThat(hpa.getSpec().getMetrics())
        .singleElement()
        .satisfies(
            metric -> {
              assertThat(metric.getResource().getName()).isEqualTo("cpu");
              assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
            });
    assertThat(MANIFEST.get(Deployment.class, "tg-tollgate-gateway").getSpec().getReplicas())
        .isNull();
  }

  @Test
  void disruptionBudgetsSelectTheirPods() {
    PodDisruptionBudget gateway = MANIFEST.get(PodDisruptionBudget.class, "tg-tollgate-gateway");
    PodDisruptionBudget operator = MANIFEST.get(PodDisruptionBudget.class, "tg-tollgate-operator");

    assertThat(gateway.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(gatewayPodLabels())
        .containsAllEntriesOf(gateway.getSpec().getSelector().getMatchLabels());
    assertThat(operator.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(
            MANIFEST
                .get(Deployment.class, "tg-tollgate-operator")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels())
        .containsAllEntriesOf(operator.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void bundledRedisEvictsOnlyKeysWithTtlAndPersistsNothing() {
    Container redis =
        MANIFEST
            .get(Deployment.class, "tg-tollgate-redis")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .getFirst();

    assertThat(String.join(" ", redis.getCommand()))
        .contains("--maxmemory-policy volatile-lru")
        .contains("--maxmemory 200mb")
        .contains("--appendonly no");
    assertThat(String.join(" ", redis.getCommand())).contains("--save \"\"");
  }

  @Test
  void everyPodMeetsTheRestrictedPodSecurityStandard() {
    assertThat(MANIFEST.all(Deployment.class))
        .hasSize(4)
        .allSatisfy(d -> RestrictedPodSecurity.assertRestricted(d.getSpec().getTemplate()));
  }

  private static PodSpec gatewayPod() {
    return MANIFEST.get(Deployment.class, "tg-tollgate-gateway").getSpec().getTemplate().getSpec();
  }

  private static Map<String, String> gatewayPodLabels() {
    return MANIFEST
        .get(Deployment.class, "tg-tollgate-gateway")
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getLabels();
  }
}
