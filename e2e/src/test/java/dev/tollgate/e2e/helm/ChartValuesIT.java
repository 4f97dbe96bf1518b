package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the rendered objects follow the values a user sets (one values file per scenario). */
class ChartValuesIT {

  @Test
  void externalRedisReplacesTheBundledOneAndTakesThePasswordFromASecret() {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("external-redis").manifest();

    assertThat(manifest.kindsAndNames()).noneMatch(name -> name.contains("redis"));
    assertThat(List.of(operator(manifest), gateway(manifest)))
        .allSatisfy(
            container -> {
              EnvVar password = ContainerEnv.variable(container, "TOLLGATE_REDIS_PASSWORD");
              assertThat(password.getValueFrom().getSecretKeyRef().getName())
                  .isEqualTo("tollgate-redis");
              assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
              // Credentials travel in their own variables, never spliced into the URL.
              assertThat(ContainerEnv.plain(container))
                  .containsEntry("TOLLGATE_REDIS_URL", "rediss://redis.example.internal:6380/0")
                  .containsEntry("TOLLGATE_REDIS_USERNAME", "tollgate");
            });
  }

  @Test
  void externalRedisClusterSeedsArePassedAsGivenWithoutAPassword() {
    RenderedManifest manifest =
        TollgateChart.render("tg").withValues("external-redis-cluster").manifest();

    assertThat(List.of(operator(manifest), gateway(manifest)))
        .allSatisfy(
            container -> {
              assertThat(ContainerEnv.plain(container))
                  .containsEntry(
                      "TOLLGATE_REDIS_URL",
                      "redis://redis-0.redis:6379,redis://redis-1.redis:6379,"
                          + "redis://redis-2.redis:6379");
              assertThat(container.getEnv())
                  .extracting(EnvVar::getName)
                  .doesNotContain("TOLLGATE_REDIS_PASSWORD");
            });
  }

  @Test
  void withoutAutoscalingTheDeploymentOwnsTheReplicaCount() {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("hpa-off").manifest();

    assertThat(manifest.all(HorizontalPodAutoscaler.class)).isEmpty();
    assertThat(manifest.get(Deployment.class, "tg-tollgate-gateway").getSpec().getReplicas())
        .isEqualTo(3);
    assertThat(ContainerEnv.plain(gateway(manifest)))
        .containsEntry("TOLLGATE_LIMITER_REPLICAS", "3");
    PodDisruptionBudget pdb = manifest.get(PodDisruptionBudget.class, "tg-tollgate-gateway");
    assertThat(pdb.getSpec().getMinAvailable().getStrVal()).isEqualTo("50%");
    assertThat(pdb.getSpec().getMaxUnavailable()).isNull();
  }

  @Test
  void autoscalesOnRequestsPerSecondPerPodWhenAsked() {
    HorizontalPodAutoscaler hpa =
        TollgateChart.render("tg")
            .withValues("requests-per-second")
            .manifest()
            .get(HorizontalPodAutoscaler.class, "tg-tollgate-gateway");

    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(30);
    assertThat(
            ContainerEnv.plain(
                gateway(TollgateChart.render("tg").withValues("requests-per-second").manifest())))
        .containsEntry("TOLLGATE_LIMITER_REPLICAS", "3");
    assertThat(hpa.getSpec().getMetrics())
        .extracting(metric -> metric.getType())
        .containsExactly("Resource", "Pods");
    var pods = hpa.getSpec().getMetrics().get(1).getPods();
    assertThat(pods.getMetric().getName()).isEqualTo("tollgate_requests_per_second");
    assertThat(pods.getTarget().getType()).isEqualTo("AverageValue");
    assertThat(pods.getTarget().getAverageValue().toString()).isEqualTo("800");
  }

  @Test
  void anHpaWhoseMinimumIsAboveItsMaximumIsRefusedNamingBothValues() {
    assertThatThrownBy(
            () ->
                TollgateChart.render("tg")
                    .set("gateway.autoscaling.minReplicas", 5)
                    .set("gateway.autoscaling.maxReplicas", 3)
                    .yaml())
        .hasMessageContaining(
            "gateway.autoscaling.minReplicas (5) is above gateway.autoscaling.maxReplicas (3)");
    // equal bounds are a fixed size the HPA keeps; without the HPA the bounds are not used
    assertThat(
            TollgateChart.render("tg")
                .set("gateway.autoscaling.minReplicas", 3)
                .set("gateway.autoscaling.maxReplicas", 3)
                .manifest()
                .get(HorizontalPodAutoscaler.class, "tg-tollgate-gateway")
                .getSpec()
                .getMinReplicas())
        .isEqualTo(3);
    assertThat(
            TollgateChart.render("tg")
                .set("gateway.autoscaling.enabled", false)
                .set("gateway.autoscaling.minReplicas", 5)
                .set("gateway.autoscaling.maxReplicas", 3)
                .manifest()
                .all(HorizontalPodAutoscaler.class))
        .isEmpty();
  }

  /** A budget that leaves no pod to evict holds `kubectl drain` forever. */
  @Test
  void aDisruptionBudgetThatBlocksEveryDrainIsRefused() {
    assertThatThrownBy(
            () ->
                TollgateChart.render("tg")
                    .set("operator.podDisruptionBudget.minAvailable", 2)
                    .yaml())
        .hasMessageContaining(
            "operator.podDisruptionBudget.minAvailable (2) must be below the replicas (2)");
    assertThatThrownBy(
            () ->
                TollgateChart.render("tg")
                    .set("gateway.podDisruptionBudget.maxUnavailable", 0)
                    .yaml())
        .hasMessageContaining("gateway.podDisruptionBudget.maxUnavailable must be above 0");
    assertThatThrownBy(
            () ->
                TollgateChart.render("tg")
                    .set("gateway.podDisruptionBudget.minAvailable", "100%")
                    .yaml())
        .hasMessageContaining("gateway.podDisruptionBudget.minAvailable (100%) must leave a pod");
    // the HPA's minimum is the fewest gateways there are
    assertThatThrownBy(
            () ->
                TollgateChart.render("tg")
                    .set("gateway.podDisruptionBudget.minAvailable", 2)
                    .yaml())
        .hasMessageContaining("must be below the replicas (2)");
    assertThat(
            TollgateChart.render("tg")
                .set("gateway.podDisruptionBudget.minAvailable", 2)
                .set("gateway.autoscaling.minReplicas", 3)
                .manifest()
                .get(PodDisruptionBudget.class, "tg-tollgate-gateway")
                .getSpec()
                .getMinAvailable()
                .getIntVal())
        .isEqualTo(2);
  }

  @Test
  void aDrainThatOutlastsTheGracePeriodIsRefused() {
    // 5 s pre-stop sleep + 25 s drain: the kubelet's kill at 30 s would cut the drain short
    assertThatThrownBy(() -> TollgateChart.render("tg").set("gateway.drainTimeout", "25s").yaml())
        .hasMessageContaining(
            "gateway.preStopSleepSeconds (5) + gateway.drainTimeout (25s) must stay below"
                + " gateway.terminationGracePeriodSeconds (30)");
    // rounded up to whole seconds: 24.001 s does not fit either
    assertThatThrownBy(
            () -> TollgateChart.render("tg").set("gateway.drainTimeout", "24001ms").yaml())
        .hasMessageContaining("gateway.drainTimeout (24001ms)");
    assertThat(
            TollgateChart.render("tg")
                .set("gateway.drainTimeout", "1m")
                .set("gateway.terminationGracePeriodSeconds", 70)
                .manifest()
                .get(Deployment.class, "tg-tollgate-gateway")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTerminationGracePeriodSeconds())
        .isEqualTo(70L);
  }

  @Test
  void analyticsDurationsTheServiceWouldRefuseAtStartAreRefusedAtRender() {
    assertThatThrownBy(() -> TollgateChart.render("tg").set("analytics.retention", "169h").yaml())
        .hasMessageContaining("analytics.retention (169h) must be at most 168h");
    // the surge check reads 5 + 60 minutes of buckets
    assertThatThrownBy(() -> TollgateChart.render("tg").set("analytics.retention", "64m").yaml())
        .hasMessageContaining(
            "analytics.retention (64m) must be at least analytics.surge.window (5m)"
                + " + analytics.surge.baseline (1h)");
    assertThatThrownBy(() -> TollgateChart.render("tg").set("analytics.claimIdle", "61m").yaml())
        .hasMessageContaining("analytics.claimIdle (61m) must be at most 1h");
    assertThatThrownBy(() -> TollgateChart.render("tg").set("analytics.claimIdle", "999ms").yaml())
        .hasMessageContaining("claimIdle");
    // whole minutes, as the service counts them: 90 s is one
    assertThat(
            ContainerEnv.plain(
                analytics(
                    TollgateChart.render("tg").set("analytics.retention", "168h").manifest())))
        .containsEntry("TOLLGATE_ANALYTICS_RETENTION", "168h");
    assertThat(
            ContainerEnv.plain(
                analytics(
                    TollgateChart.render("tg")
                        .set("analytics.retention", "61m")
                        .set("analytics.surge.window", "90s")
                        .manifest())))
        .containsEntry("TOLLGATE_ANALYTICS_RETENTION", "61m");
  }

  @Test
  void aSingleOperatorGetsNoDisruptionBudgetThatWouldHoldUpEveryNodeDrain() {
    RenderedManifest manifest = TollgateChart.render("tg").set("operator.replicas", 1).manifest();

    // minAvailable 1 of 1 pod: the eviction API would refuse it for good
    assertThat(manifest.all(PodDisruptionBudget.class))
        .extracting(pdb -> pdb.getMetadata().getName())
        .containsExactly("tg-tollgate-gateway");
  }

  @Test
  void watchingSomeNamespacesBindsTheOperatorRoleOnlyThere() {
    RenderedManifest manifest =
        TollgateChart.render("tg").withValues("watch-namespaces").manifest();

    // only the cluster-scoped Gateway API kinds (GatewayClasses, Namespaces) are bound cluster-wide
    assertThat(manifest.all(ClusterRoleBinding.class))
        .extracting(binding -> binding.getRoleRef().getName())
        .containsExactly("tg-tollgate-operator-gateway-classes");
    assertThat(manifest.all(RoleBinding.class))
        .filteredOn(binding -> binding.getRoleRef().getKind().equals("ClusterRole"))
        .extracting(binding -> binding.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("shop", "billing");
    assertThat(manifest.all(RoleBinding.class))
        .allSatisfy(
            binding ->
                assertThat(binding.getSubjects())
                    .singleElement()
                    .satisfies(
                        subject -> {
                          assertThat(subject.getName()).isEqualTo("tg-tollgate-operator");
                          assertThat(subject.getNamespace())
                              .isEqualTo(TollgateChart.DEFAULT_NAMESPACE);
                        }));
    assertThat(ContainerEnv.plain(operator(manifest)))
        .containsEntry("TOLLGATE_WATCH_NAMESPACES", "shop,billing");
  }

  @Test
  void passesJwtAndProxySettingsToTheGateway() {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("jwt").manifest();
    Container gateway = gateway(manifest);

    assertThat(ContainerEnv.plain(gateway))
        .containsEntry("TOLLGATE_JWT_ISSUER", "https://login.example.com/")
        .containsEntry("TOLLGATE_JWT_AUDIENCE", "api.example.com")
        .containsEntry("TOLLGATE_JWT_JWKS_FILE", "/etc/tollgate/jwks/jwks.json")
        .containsEntry("TOLLGATE_TRUSTED_PROXIES", "10.0.0.0/8,fd00::/8")
        .containsEntry("TOLLGATE_LIMITER_TIMEOUT", "25ms")
        .doesNotContainKey("TOLLGATE_JWT_JWKS_URI");
    assertThat(gateway.getVolumeMounts())
        .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/etc/tollgate/jwks"));
  }

  @Test
  void mountsTheJwksCaBundleReadOnlyAndNamesItsFileToTheGateway() {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("jwks-private-ca").manifest();
    Container gateway = gateway(manifest);

    assertThat(ContainerEnv.plain(gateway))
        .containsEntry(
            "TOLLGATE_JWT_JWKS_URI",
            "https://login.identity.svc/realms/apps/protocol/openid-connect/certs")
        .containsEntry("TOLLGATE_JWT_JWKS_CA_FILE", "/etc/tollgate/jwks-ca/root.pem");
    assertThat(gateway.getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals("/etc/tollgate/jwks-ca"))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(
            manifest
                .get(Deployment.class, "tg-tollgate-gateway")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes())
        .filteredOn(v -> v.getName().equals("jwks-ca"))
        .singleElement()
        .satisfies(v -> assertThat(v.getConfigMap().getName()).isEqualTo("identity-ca"));
    assertThat(ContainerEnv.plain(gateway(TollgateChart.render("tg").manifest())))
        .doesNotContainKey("TOLLGATE_JWT_JWKS_CA_FILE");
  }

  @Test
  void passesTenancyAndTheGatewaysOwnPortsAndServicesToTheOperator() {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("tenancy").manifest();

    assertThat(ContainerEnv.plain(operator(manifest)))
        .containsEntry("TOLLGATE_EXTERNAL_BACKEND_NAMESPACES", "edge,partners")
        .containsEntry("TOLLGATE_CLUSTER_NETWORKS", "10.96.0.0/12,10.244.0.0/16,fd00:10::/64")
        .containsEntry("TOLLGATE_SHARED_HOSTS", "api.example.com,*")
        .containsEntry("TOLLGATE_GATEWAY_PORTS", "8443,9443")
        .containsEntry(
            "TOLLGATE_GATEWAY_SERVICES",
            "tollgate-system/tg-tollgate-gateway,tollgate-system/tg-tollgate-gateway-admin");
  }

  @Test
  void theHttpsPortIsOneOfTheGatewaysOwnPortsThatNoBackendMayUse() {
    assertThat(
            ContainerEnv.plain(operator(TollgateChart.render("tg").withValues("tls").manifest())))
        .containsEntry("TOLLGATE_GATEWAY_PORTS", "8080,9090,8443");
    assertThat(
            ContainerEnv.plain(
                operator(
                    TollgateChart.render("tg")
                        .set("gatewayAPI.listenerCertificates.enabled", true)
                        .set("gateway.tls.port", 9443)
                        .manifest())))
        .containsEntry("TOLLGATE_GATEWAY_PORTS", "8080,9090,9443");
  }

  @Test
  void namesTheListenerCertificateBundleToTheOperatorOnlyWhenListenerCertificatesAreOn() {
    RenderedManifest off = TollgateChart.render("tg").manifest();
    RenderedManifest on =
        TollgateChart.render("tg").set("gatewayAPI.listenerCertificates.enabled", true).manifest();

    assertThat(ContainerEnv.plain(operator(off)))
        .doesNotContainKey("TOLLGATE_LISTENER_CERTIFICATES_SECRET");
    assertThat(ContainerEnv.plain(operator(on)))
        .containsEntry(
            "TOLLGATE_LISTENER_CERTIFICATES_SECRET",
            "tollgate-system/tg-tollgate-listener-certificates");
    // the pods the operator annotates after a write are exactly the gateway Deployment's
    String pods = ContainerEnv.plain(operator(on)).get("TOLLGATE_LISTENER_CERTIFICATES_PODS");
    Map<String, String> selector =
        on.get(Deployment.class, "tg-tollgate-gateway").getSpec().getSelector().getMatchLabels();
    assertThat(pods.split(","))
        .containsExactlyInAnyOrderElementsOf(
            selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    assertThat(ContainerEnv.plain(operator(off)))
        .doesNotContainKey("TOLLGATE_LISTENER_CERTIFICATES_PODS");
  }

  @Test
  void gatewayNameDefaultsToTheReleaseAndCanBeSet() {
    RenderedManifest manifest = TollgateChart.render("tg").set("gatewayName", "edge").manifest();

    assertThat(List.of(operator(manifest), gateway(manifest)))
        .allSatisfy(
            container ->
                assertThat(ContainerEnv.plain(container))
                    .containsEntry("TOLLGATE_GATEWAY_NAME", "edge"));
  }

  @Test
  void logsJsonAtInfoByDefaultAndEachComponentMayOverrideTheChartWideLevelAndFormat() {
    RenderedManifest defaults = TollgateChart.render("tg").manifest();
    assertThat(List.of(operator(defaults), gateway(defaults), analytics(defaults)))
        .allSatisfy(
            container ->
                assertThat(ContainerEnv.plain(container))
                    .containsEntry("TOLLGATE_LOG_FORMAT", "json")
                    .containsEntry("TOLLGATE_LOG_LEVEL", "info"));

    RenderedManifest set =
        TollgateChart.render("tg")
            .set("logLevel", "warn")
            .set("gateway.logLevel", "debug")
            .set("analytics.logFormat", "text")
            .manifest();
    assertThat(ContainerEnv.plain(operator(set)))
        .containsEntry("TOLLGATE_LOG_LEVEL", "warn")
        .containsEntry("TOLLGATE_LOG_FORMAT", "json");
    assertThat(ContainerEnv.plain(gateway(set))).containsEntry("TOLLGATE_LOG_LEVEL", "debug");
    assertThat(ContainerEnv.plain(analytics(set)))
        .containsEntry("TOLLGATE_LOG_LEVEL", "warn")
        .containsEntry("TOLLGATE_LOG_FORMAT", "text");
  }

  @Test
  void leavesCrdsOutWhenAnotherReleaseManagesThem() {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("no-crds").manifest();

    assertThat(manifest.all(CustomResourceDefinition.class)).isEmpty();
    assertThat(manifest.all(Deployment.class)).hasSize(4);
  }

  @Test
  void aDigestPinsTheImageAndLeavesTheTagOut() {
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    RenderedManifest manifest =
        TollgateChart.render("tg")
            .set("gateway.image.tag", "1.2.3")
            .set("gateway.image.digest", digest)
            .set("redis.bundled.image.digest", digest)
            .manifest();

    assertThat(gateway(manifest).getImage()).isEqualTo("tollgate/gateway@" + digest);
    assertThat(container(manifest, "tg-tollgate-redis").getImage())
        .isEqualTo("docker.io/library/redis@" + digest);
    assertThat(operator(manifest).getImage()).startsWith("tollgate/operator:");
    assertThat(analytics(manifest).getImage()).startsWith("tollgate/analytics:");
  }

  private static Container operator(RenderedManifest manifest) {
    return container(manifest, "tg-tollgate-operator");
  }

  @Test
  void tlsMountsEachCertificateSecretReadOnlyWithTheDefaultFirstAndOpensTheHttpsPort() {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("tls").manifest();
    Deployment deployment = manifest.get(Deployment.class, "tg-tollgate-gateway");
    Container gateway = gateway(manifest);

    assertThat(ContainerEnv.plain(gateway))
        .containsEntry("TOLLGATE_TLS_PORT", "8443")
        .containsEntry(
            "TOLLGATE_TLS_CERT_DIRS",
            "/etc/tollgate/tls/wildcard-example-com,/etc/tollgate/tls/api-example-com")
        .containsEntry("TOLLGATE_TLS_REDIRECT", "true")
        .containsEntry("TOLLGATE_TLS_REDIRECT_PORT", "443")
        .containsEntry("TOLLGATE_TLS_CLIENT_AUTH", "optional")
        .containsEntry("TOLLGATE_TLS_CLIENT_CA_FILE", "/etc/tollgate/client-ca/ca.crt")
        .containsEntry("TOLLGATE_UPSTREAM_CA_FILE", "/etc/tollgate/upstream-ca/ca.crt");
    assertThat(gateway.getVolumeMounts())
        .filteredOn(m -> m.getMountPath().startsWith("/etc/tollgate/"))
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue())
        .extracting(m -> m.getMountPath())
        .contains(
            "/etc/tollgate/tls/wildcard-example-com",
            "/etc/tollgate/tls/api-example-com",
            "/etc/tollgate/client-ca",
            "/etc/tollgate/upstream-ca");
    // whole-Secret mounts: a subPath mount would never see a renewal
    assertThat(gateway.getVolumeMounts()).allSatisfy(m -> assertThat(m.getSubPath()).isNull());
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .contains("api-example-com", "wildcard-example-com", "internal-ca");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getConfigMap() != null)
        .extracting(v -> v.getConfigMap().getName())
        .containsExactly("partner-ca");

    assertHttpsPortIsOpen(manifest);
  }

  @Test
  void withoutCertificatesThereIsNoHttpsPortOrVariable() {
    RenderedManifest manifest = TollgateChart.render("tg").manifest();
    assertThat(ContainerEnv.plain(gateway(manifest)))
        .doesNotContainKeys(
            "TOLLGATE_TLS_CERT_DIRS",
            "TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR",
            "TOLLGATE_TLS_PORT",
            "TOLLGATE_UPSTREAM_CA_FILE");
    assertThat(gateway(manifest).getVolumeMounts())
        .extracting(m -> m.getName())
        .doesNotContain("listener-certificates");
    assertThat(manifest.get(Service.class, "tg-tollgate-gateway").getSpec().getPorts())
        .extracting(p -> p.getName())
        .containsExactly("http");
  }

  @Test
  void listenerCertificatesMountTheOperatorsBundleOptionallyAndOpenTheHttpsPort() {
    RenderedManifest manifest =
        TollgateChart.render("tg").withValues("gateway-listener-certificates").manifest();
    Container gateway = gateway(manifest);

    assertThat(ContainerEnv.plain(gateway))
        .containsEntry("TOLLGATE_TLS_PORT", "8443")
        .containsEntry("TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR", "/etc/tollgate/listener-certificates")
        .doesNotContainKey("TOLLGATE_TLS_CERT_DIRS");
    assertThat(gateway.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("listener-certificates"))
        .singleElement()
        .satisfies(
            mount -> {
              assertThat(mount.getMountPath()).isEqualTo("/etc/tollgate/listener-certificates");
              assertThat(mount.getReadOnly()).isTrue();
              // a subPath mount would never see the operator's updates
              assertThat(mount.getSubPath()).isNull();
            });
    var pod =
        manifest.get(Deployment.class, "tg-tollgate-gateway").getSpec().getTemplate().getSpec();
    // the gateway still reads files only: no API token
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getName().equals("listener-certificates"))
        .singleElement()
        .satisfies(
            volume -> {
              assertThat(volume.getSecret().getSecretName())
                  .isEqualTo("tg-tollgate-listener-certificates");
              // the gateway starts before the operator has written the Secret
              assertThat(volume.getSecret().getOptional()).isTrue();
              // every key: the pairs are named by the listeners' Secrets
              assertThat(volume.getSecret().getItems()).isNullOrEmpty();
            });

    assertHttpsPortIsOpen(manifest);
  }

  @Test
  void listenerCertificatesAddToTheCertificateSecrets() {
    RenderedManifest manifest =
        TollgateChart.render("tg")
            .withValues("tls")
            .set("gatewayAPI.listenerCertificates.enabled", true)
            .manifest();
    assertThat(ContainerEnv.plain(gateway(manifest)))
        .containsEntry(
            "TOLLGATE_TLS_CERT_DIRS",
            "/etc/tollgate/tls/wildcard-example-com,/etc/tollgate/tls/api-example-com")
        .containsEntry(
            "TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR", "/etc/tollgate/listener-certificates");
    assertThat(gateway(manifest).getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains(
            "/etc/tollgate/tls/wildcard-example-com",
            "/etc/tollgate/tls/api-example-com",
            "/etc/tollgate/listener-certificates");
    assertThat(manifest.get(Service.class, "tg-tollgate-gateway").getSpec().getPorts())
        .extracting(p -> p.getName())
        .containsExactly("http", "https");
  }

  @Test
  void redirectNeedsCertificatesOfOneKindOrTheOther() {
    assertThatThrownBy(() -> TollgateChart.render("tg").set("gateway.tls.redirect", true).yaml())
        .hasMessageContaining(
            "gateway.tls.redirect needs gateway.tls.certificates or"
                + " gatewayAPI.listenerCertificates.enabled");
    RenderedManifest manifest =
        TollgateChart.render("tg")
            .set("gateway.tls.redirect", true)
            .set("gatewayAPI.listenerCertificates.enabled", true)
            .manifest();
    assertThat(ContainerEnv.plain(gateway(manifest)))
        .containsEntry("TOLLGATE_TLS_REDIRECT", "true");
  }

  @Test
  void aDefaultCertificateThatIsNotListedIsRefused() {
    assertThatThrownBy(
            () ->
                TollgateChart.render("tg")
                    .set("gateway.tls.certificates[0].secretName", "api-example-com")
                    .set("gateway.tls.defaultCertificate", "other")
                    .yaml())
        .hasMessageContaining(
            "gateway.tls.defaultCertificate \"other\" is not one of gateway.tls.certificates");
  }

  /**
   * The container's https port (8443), the Service's 443 to it, the NetworkPolicy letting it in.
   */
  private static void assertHttpsPortIsOpen(RenderedManifest manifest) {
    assertThat(gateway(manifest).getPorts())
        .anySatisfy(
            port -> {
              assertThat(port.getName()).isEqualTo("https");
              assertThat(port.getContainerPort()).isEqualTo(8443);
            });
    Service service = manifest.get(Service.class, "tg-tollgate-gateway");
    assertThat(service.getSpec().getPorts())
        .extracting(p -> p.getName() + ":" + p.getPort() + "->" + p.getTargetPort().getStrVal())
        .containsExactly("http:80->http", "https:443->https");
    NetworkPolicy policy = manifest.get(NetworkPolicy.class, "tg-tollgate-gateway");
    assertThat(policy.getSpec().getIngress().getFirst().getPorts())
        .extracting(p -> p.getPort().getStrVal())
        .containsExactly("http", "https");
  }

  private static Container gateway(RenderedManifest manifest) {
    return container(manifest, "tg-tollgate-gateway");
  }

  private static Container analytics(RenderedManifest manifest) {
    return container(manifest, "tg-tollgate-analytics");
  }

  private static Container container(RenderedManifest manifest, String deployment) {
    return manifest.container(deployment);
  }
}
