package dev.tollgate.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.redis.RedisTarget;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
  @Test
  void everyVariableHasADefault() {
    OperatorSettings settings = OperatorSettings.from(Map.of());

    assertThat(settings.redis().target().nodes())
        .singleElement()
        .satisfies(
            uri -> assertThat(uri.getHost() + ":" + uri.getPort()).isEqualTo("localhost:6379"));
    assertThat(settings.redis().gatewayName()).isEqualTo("default");
    assertThat(settings.watchesAllNamespaces()).isTrue();
    assertThat(settings.httpPort()).isEqualTo(8081);
    assertThat(settings.leaderElection()).isTrue();
    assertThat(settings.leaseName()).isEqualTo("tollgate-operator");
    assertThat(settings.debounceQuietPeriod()).isEqualTo(Duration.ofMillis(50));
    assertThat(settings.debounceMaxDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(settings.feedbackInterval()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void readsNamespacesDurationsAndCredentials() {
    OperatorSettings settings =
        OperatorSettings.from(
            Map.of(
                "TOLLGATE_WATCH_NAMESPACES", " shop, billing ,",
                "TOLLGATE_SNAPSHOT_DEBOUNCE", "50ms",
                "TOLLGATE_REDIS_PASSWORD", "s3cret",
                "TOLLGATE_GATEWAY_NAME", "edge-1"));

    assertThat(settings.watchNamespaces()).isEqualTo(Set.of("shop", "billing"));
    assertThat(settings.debounceQuietPeriod()).isEqualTo(Duration.ofMillis(50));
    assertThat(
            new String(
                settings
                    .redis()
                    .target()
                    .nodes()
                    .getFirst()
                    .getCredentialsProvider()
                    .resolveCredentials()
                    .block()
                    .getPassword()))
        .isEqualTo("s3cret");
    assertThat(settings.redis().gatewayName()).isEqualTo("edge-1");
  }

  @Test
  void rejectsValuesWithAMessageNamingTheVariable() {
    assertThatThrownBy(() -> OperatorSettings.from(Map.of("TOLLGATE_SNAPSHOT_DEBOUNCE", "fast")))
        .hasMessageStartingWith("TOLLGATE_SNAPSHOT_DEBOUNCE: invalid duration 'fast'");
    assertThatThrownBy(() -> OperatorSettings.from(Map.of("TOLLGATE_GATEWAY_NAME", "Edge_1")))
        .hasMessageContaining("TOLLGATE_GATEWAY_NAME=Edge_1");
    assertThatThrownBy(() -> OperatorSettings.from(Map.of("TOLLGATE_OPERATOR_HTTP_PORT", "x")))
        .hasMessage("TOLLGATE_OPERATOR_HTTP_PORT must be a whole number from 0 to 65535, was 'x'");
  }

  @Test
  void listenerCertificatesAreOffByDefaultAndGoToANameOrANamespacedName() {
    assertThat(OperatorSettings.from(Map.of()).gatewayApi().listenerCertificates()).isEmpty();
    assertThat(
            OperatorSettings.from(Map.of("TOLLGATE_LISTENER_CERTIFICATES_SECRET", "bundle"))
                .gatewayApi()
                .listenerCertificates())
        .contains(
            new GatewayApiSettings.ListenerCertificatesSecret(
                java.util.Optional.empty(), "bundle", Map.of()));
    assertThat(
            OperatorSettings.from(Map.of("TOLLGATE_LISTENER_CERTIFICATES_SECRET", "edge/bundle"))
                .gatewayApi()
                .listenerCertificates())
        .contains(
            new GatewayApiSettings.ListenerCertificatesSecret(
                java.util.Optional.of("edge"), "bundle", Map.of()));
    assertThatThrownBy(
            () -> OperatorSettings.from(Map.of("TOLLGATE_LISTENER_CERTIFICATES_SECRET", "a/b/c")))
        .hasMessage(
            "TOLLGATE_LISTENER_CERTIFICATES_SECRET=a/b/c: expected a Secret name or namespace/name");
  }

  @Test
  void theLabelsOfThePodsThatMountTheBundleAreEqualitySelectors() {
    assertThat(
            OperatorSettings.from(
                    Map.of(
                        "TOLLGATE_LISTENER_CERTIFICATES_SECRET",
                        "bundle",
                        "TOLLGATE_LISTENER_CERTIFICATES_PODS",
                        "app.kubernetes.io/name=tollgate, app.kubernetes.io/component=gateway"))
                .gatewayApi()
                .listenerCertificates()
                .orElseThrow()
                .mountingPods())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("app.kubernetes.io/name", "tollgate", "app.kubernetes.io/component", "gateway"));
    assertThatThrownBy(
            () ->
                OperatorSettings.from(
                    Map.of(
                        "TOLLGATE_LISTENER_CERTIFICATES_SECRET",
                        "bundle",
                        "TOLLGATE_LISTENER_CERTIFICATES_PODS",
                        "component!=gateway")))
        .hasMessage(
            "TOLLGATE_LISTENER_CERTIFICATES_PODS: expected label=value pairs separated by commas,"
                + " was 'component!=gateway'");
  }

  @Test
  void acceptsCommaSeparatedClusterNodes() {
    // The config keys share a hash tag, so the snapshot write works on a Redis Cluster.
    assertThat(
            OperatorSettings.from(Map.of("TOLLGATE_REDIS_URL", "redis://a:7000,redis://b:7000"))
                .redis()
                .target())
        .isInstanceOfSatisfying(
            RedisTarget.Cluster.class, cluster -> assertThat(cluster.seeds()).hasSize(2));
  }

  @Test
  void readsAMultiSentinelUrlAsOneSentinelMonitoredMasterNotAsACluster() {
    assertThat(
            OperatorSettings.from(
                    Map.of("TOLLGATE_REDIS_URL", "redis-sentinel://s1:26379,s2:26379,s3#mymaster"))
                .redis()
                .target())
        .isInstanceOfSatisfying(
            RedisTarget.Sentinel.class,
            sentinel -> {
              assertThat(sentinel.uri().getSentinels()).hasSize(3);
              assertThat(sentinel.uri().getSentinelMasterId()).isEqualTo("mymaster");
            });
  }
}
