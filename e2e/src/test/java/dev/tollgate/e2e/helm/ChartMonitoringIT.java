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
        .anyMatch(e -> e.contains("tollgate_config_reloads_total"));
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
                        selectorOf(manifest, "tg-tollgate-operator")));
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
        .containsExactlyInAnyOrder("tg-tollgate-gateway", "tg-tollgate-operator");
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
    assertThat(TollgateChart.render("tg").manifest().all(NetworkPolicy.class)).hasSize(3);
    assertThat(
            TollgateChart.render("tg")
                .set("networkPolicy.enabled", false)
                .manifest()
                .all(NetworkPolicy.class))
        .isEmpty();
  }

  private static String namespaceOf(NetworkPolicyPeer peer) {
    return peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
  }

  private static Map<String, String> selectorOf(RenderedManifest manifest, String deployment) {
    return manifest.get(Deployment.class, deployment).getSpec().getSelector().getMatchLabels();
  }
}
