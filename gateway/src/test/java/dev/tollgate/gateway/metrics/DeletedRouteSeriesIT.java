package dev.tollgate.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.gateway.ratelimit.PolicyYaml;
import dev.tollgate.gateway.support.GatewayFixture;
import dev.tollgate.gateway.support.TestUpstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routes and policies come and go with their names (a preview route per pull request): the series
 * of one the applied configuration no longer has leave {@code /metrics}, so neither the gateway's
 * memory nor a scrape grows with every name ever served. Those of what stays keep counting.
 */
class DeletedRouteSeriesIT {
  private static final String KEPT_ROUTE = "route=\"shop/kept\"";
  private static final String DROPPED_ROUTE = "route=\"shop/preview-42\"";
  private static final String KEPT_POLICY = "policy=\"shop/kept-limit\"";
  private static final String DROPPED_POLICY = "policy=\"shop/preview-42-limit\"";

  private TestUpstream upstream;
  private GatewayFixture gateway;

  @BeforeEach
  void start() {
    upstream = TestUpstream.echo("shop");
    gateway = GatewayFixture.startWithPolicies(kept() + preview(), Map.of());
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
  }

  private String kept() {
    return PolicyYaml.route("kept", "/kept", "none", upstream.url()) + limited("kept");
  }

  private String preview() {
    return PolicyYaml.route("preview-42", "/preview", "none", upstream.url())
        + limited("preview-42");
  }

  private static String limited(String route) {
    return PolicyYaml.policy(
        route + "-limit", route, "", "- name: per-client\n  rate: {requests: 1000, period: 1m}");
  }

  @Test
  void aDeletedRoutesAndPolicysSeriesLeaveWithTheNextConfigurationAndTheOthersKeepCounting() {
    assertThat(gateway.get("/kept/1").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/preview/1").statusCode()).isEqualTo(200);
    // counted once the response is sent: wait for both before the preview route goes
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> requests(metrics(), KEPT_ROUTE) == 1 && requests(metrics(), DROPPED_ROUTE) == 1);
    String before = metrics();
    assertThat(series(before, DROPPED_ROUTE))
        .anyMatch(l -> l.startsWith("tollgate_request_duration_seconds_count{"))
        .anyMatch(l -> l.startsWith("tollgate_upstream_duration_seconds_count{"));
    assertThat(series(before, DROPPED_POLICY))
        .anyMatch(l -> l.startsWith("tollgate_ratelimit_decisions_total{"));

    double reloads = reloads(before);
    gateway.writeConfig("routes.yaml", kept());
    // counted after the previous configuration's leftovers were retired
    await().atMost(Duration.ofSeconds(10)).until(() -> reloads(metrics()) > reloads);
    assertThat(gateway.get("/preview/1").statusCode()).isEqualTo(404);
    assertThat(gateway.get("/kept/2").statusCode()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(requests(metrics(), KEPT_ROUTE)).isEqualTo(2));
    String after = metrics();
    assertThat(series(after, DROPPED_ROUTE)).isEmpty();
    assertThat(series(after, DROPPED_POLICY)).isEmpty();
    assertThat(sum(after, "tollgate_ratelimit_decisions_total{", KEPT_POLICY)).isEqualTo(2);
    assertThat(series(after, KEPT_ROUTE))
        .anyMatch(l -> l.startsWith("tollgate_upstream_duration_seconds_count{"));
  }

  private String metrics() {
    return gateway.admin("/metrics").body();
  }

  /** The samples (comment lines aside) carrying {@code label}. */
  private static List<String> series(String prometheusText, String label) {
    return prometheusText.lines().filter(l -> !l.startsWith("#") && l.contains(label)).toList();
  }

  private static double reloads(String prometheusText) {
    return sum(prometheusText, "tollgate_config_reloads_total{", "result=\"success\"");
  }

  private static double requests(String prometheusText, String route) {
    return sum(prometheusText, "tollgate_requests_total{", route);
  }

  private static double sum(String prometheusText, String name, String label) {
    return series(prometheusText, label).stream()
        .filter(l -> l.startsWith(name))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
