package dev.tollgate.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The optional ServiceMonitor, Grafana dashboard and NetworkPolicies. */
class ChartMonitoringIT {

  @Test
  void serviceMonitorsScrapeTheGatewayAdminServiceAndTheOperator() {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("monitoring").manifest();

    assertScrapes(manifest, "tg-tollgate-gateway", "tg-tollgate-gateway-admin", "admin");
    assertScrapes(manifest, "tg-tollgate-operator", "tg-tollgate-operator-metrics", "metrics");
    assertThat(manifest.get(Service.class, "tg-tollgate-gateway").getMetadata().getLabels())
        .as("the public Service must not be scraped")
        .doesNotContainKey("tollgate.dev/scrape");
  }

  private static void assertScrapes(
      RenderedManifest manifest, String monitorName, String serviceName, String port) {
    GenericKubernetesResource monitor =
        (GenericKubernetesResource) manifest.get("ServiceMonitor", monitorName);
    Service service = manifest.get(Service.class, serviceName);

    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    Map<String, String> selector = monitor.get("spec", "selector", "matchLabels");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
    assertThat(manifest.all(Service.class))
        .filteredOn(
            other -> other.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
        .singleElement()
        .isSameAs(service);
    assertThat(service.getSpec().getPorts()).extracting(p -> p.getName()).containsExactly(port);
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints)
        .singleElement()
        .satisfies(
            endpoint ->
                assertThat(endpoint)
                    .containsEntry("port", port)
                    .containsEntry("path", "/metrics")
                    .containsEntry("interval", "15s"));
  }

  @Test
  void grafanaDashboardChartsRequestsDecisionsLatencyAndConfigVersion() throws Exception {
    ConfigMap dashboard =
        TollgateChart.render("tg")
            .withValues("monitoring")
            .manifest()
            .get(ConfigMap.class, "tg-tollgate-dashboard");

    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("tollgate.json"));
    assertThat(json.path("title").asText()).isEqualTo("Tollgate");
    List<String> expressions =
        StreamSupport.stream(json.path("panels").spliterator(), false)
            .flatMap(panel -> StreamSupport.stream(panel.path("targets").spliterator(), false))
            .map(target -> target.path("expr").asText())
            .toList();
    assertThat(expressions)
        .anyMatch(e -> e.contains("tollgate_requests_total"))
        .anyMatch(
            e -> e.contains("by (decision)") && e.contains("tollgate_ratelimit_decisions_total"))
        .anyMatch(
            e ->
                e.contains("histogram_quantile")
                    && e.contains("tollgate_request_duration_seconds_bucket"))
        .anyMatch(e -> e.contains("tollgate_upstream_duration_seconds_bucket"))
        .anyMatch(e -> e.contains("tollgate_ratelimit_redis_duration_seconds_bucket"))
        .anyMatch(e -> e.contains("tollgate_config_version"))
        .anyMatch(e -> e.contains("tollgate_config_reloads_total"))
        .anyMatch(e -> e.contains("tollgate_operator_gateways_current"))
        .anyMatch(e -> e.contains("tollgate_operator_snapshot_writes_total"))
        .anyMatch(e -> e.contains("tollgate_analytics_dropped_total"))
        .anyMatch(e -> e.contains("tollgate_analytics_lag"));
    assertThat(json.path("panels"))
        .filteredOn(panel -> panel.path("type").asText().equals("row"))
        .extracting(panel -> panel.path("title").asText())
        .contains("Operator", "Analytics");
  }

  @Test
  void serviceMonitorScrapesTheAnalyticsAdminService() {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("monitoring").manifest();

    assertScrapes(manifest, "tg-tollgate-analytics", "tg-tollgate-analytics", "admin");
  }

  @Test
  void prometheusRuleAlertsOnTheDocumentedConditions() {
    GenericKubernetesResource rule =
        (GenericKubernetesResource)
            TollgateChart.render("tg")
                .withValues("monitoring")
                .manifest()
                .get("PrometheusRule", "tg-tollgate");

    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prometheus");
    List<Map<String, Object>> groups = rule.get("spec", "groups");
    Map<String, String> alerts = new java.util.TreeMap<>();
    for (Map<String, Object> group : groups) {
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rules = (List<Map<String, Object>>) group.get("rules");
      rules.forEach(r -> alerts.put((String) r.get("alert"), (String) r.get("expr")));
    }
    assertThat(alerts)
        .containsOnlyKeys(
            "TollgateHighServerErrorRatio",
            "TollgateRateLimiterErrors",
            "TollgateConfigRefused",
            "TollgateCertificateRenewalRefused",
            "TollgateCertificateExpiringSoon",
            "TollgateGatewaysBehindConfig",
            "TollgateRedisDown",
            "TollgateTrafficSurge",
            "TollgateAccessRecordsDropped",
            "TollgateAnalyticsLagging");
    assertThat(alerts.get("TollgateHighServerErrorRatio"))
        .contains("code=~\"5..\"")
        .contains("> 0.02");
    assertThat(alerts.get("TollgateRateLimiterErrors")).contains("decision=\"error\"");
    assertThat(alerts.get("TollgateConfigRefused")).contains("result=\"failure\"");
    assertThat(alerts.get("TollgateCertificateRenewalRefused"))
        .contains("tollgate_tls_certificate_reloads_total{result=\"failure\"}");
    assertThat(alerts.get("TollgateCertificateExpiringSoon"))
        .contains("tollgate_tls_certificate_expiry")
        .contains("time()");
    assertThat(alerts.get("TollgateGatewaysBehindConfig"))
        .contains("tollgate_operator_gateways_current")
        .contains("tollgate_operator_gateways_live");
    assertThat(alerts.get("TollgateRedisDown"))
        .contains("tollgate_operator_snapshot_write_errors_total")
        .contains("tollgate_analytics_redis_up");
    assertThat(alerts.get("TollgateTrafficSurge")).contains("tollgate_analytics_surge_active");
  }

  @Test
  void withoutAnalyticsNeitherItsObjectsNorItsAlertsAreRendered() {
    RenderedManifest manifest =
        TollgateChart.render("tg")
            .withValues("monitoring")
            .set("analytics.enabled", false)
            .manifest();

    assertThat(manifest.kindsAndNames()).noneMatch(name -> name.contains("analytics"));
    assertThat(manifest.yaml()).doesNotContain("TollgateTrafficSurge");
    assertThat(env(manifest, "tg-tollgate-gateway")).doesNotContainKey("TOLLGATE_ACCESS_STREAM");
  }

  @Test
  void analyticsRunsByDefaultAndTheGatewaysWriteItsStream() {
    RenderedManifest manifest = TollgateChart.render("tg").manifest();

    Deployment analytics = manifest.get(Deployment.class, "tg-tollgate-analytics");
    assertThat(analytics.getSpec().getReplicas()).isEqualTo(2);
    assertThat(analytics.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
        .isFalse();
    assertThat(env(manifest, "tg-tollgate-analytics"))
        .containsEntry("TOLLGATE_GATEWAY_NAME", "tg")
        .containsEntry("TOLLGATE_ANALYTICS_RETENTION", "24h")
        .containsKey("TOLLGATE_REDIS_URL");
    assertThat(env(manifest, "tg-tollgate-gateway"))
        .containsEntry("TOLLGATE_ACCESS_STREAM", "on")
        .containsEntry("TOLLGATE_ACCESS_STREAM_MAXLEN", "100000")
        .containsEntry("TOLLGATE_ACCESS_LOG", "off");
    assertThat(manifest.get(Service.class, "tg-tollgate-analytics").getSpec().getType())
        .isEqualTo("ClusterIP");
  }

  @Test
  void networkPoliciesOpenOnlyWhatEachComponentServes() {
    RenderedManifest manifest = TollgateChart.render("tg").withValues("network-policy").manifest();
    NetworkPolicy gateway = manifest.get(NetworkPolicy.class, "tg-tollgate-gateway");
    NetworkPolicy operator = manifest.get(NetworkPolicy.class, "tg-tollgate-operator");
    NetworkPolicy redis = manifest.get(NetworkPolicy.class, "tg-tollgate-redis");

    assertThat(gateway.getSpec().getIngress())
        .extracting(
            rule -> rule.getPorts().getFirst().getPort().getStrVal(),
            rule -> namespaceOf(rule.getFrom().getFirst()))
        .containsExactly(tuple("http", "ingress-nginx"), tuple("admin", "monitoring"));
    assertThat(operator.getSpec().getIngress())
        .extracting(
            rule -> rule.getPorts().getFirst().getPort().getStrVal(),
            rule -> namespaceOf(rule.getFrom().getFirst()))
        .containsExactly(tuple("metrics", "monitoring"));
    assertThat(redis.getSpec().getIngress())
        .singleElement()
        .satisfies(
            rule ->
                assertThat(rule.getFrom())
                    .extracting(peer -> peer.getPodSelector().getMatchLabels())
                    .containsExactlyInAnyOrder(
                        selectorOf(manifest, "tg-tollgate-gateway"),
                        selectorOf(manifest, "tg-tollgate-operator"),
                        selectorOf(manifest, "tg-tollgate-analytics")));
  }

  @Test
  void networkPolicyForRedisOnlyWhenRedisIsBundled() {
    RenderedManifest manifest =
        TollgateChart.render("tg")
            .withValues("network-policy")
            .withValues("external-redis")
            .manifest();

    assertThat(manifest.all(NetworkPolicy.class))
        .extracting(policy -> policy.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "tg-tollgate-gateway", "tg-tollgate-operator", "tg-tollgate-analytics");
  }

  @Test
  void monitoringObjectsAreOptional() {
    RenderedManifest manifest = TollgateChart.render("tg").manifest();

    assertThat(manifest.kindsAndNames())
        .noneMatch(name -> name.startsWith("ServiceMonitor/"))
        .noneMatch(name -> name.startsWith("ConfigMap/"));
  }

  @Test
  void networkPoliciesAreOnByDefaultAndCanBeTurnedOff() {
    assertThat(TollgateChart.render("tg").manifest().all(NetworkPolicy.class)).hasSize(4);
    assertThat(
            TollgateChart.render("tg")
                .set("networkPolicy.enabled", false)
                .manifest()
                .all(NetworkPolicy.class))
        .isEmpty();
  }

  private static Map<String, String> env(RenderedManifest manifest, String deployment) {
    return ContainerEnv.plain(manifest.container(deployment));
  }

  private static String namespaceOf(NetworkPolicyPeer peer) {
    return peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
  }

  private static Map<String, String> selectorOf(RenderedManifest manifest, String deployment) {
    return manifest.get(Deployment.class, deployment).getSpec().getSelector().getMatchLabels();
  }
}
