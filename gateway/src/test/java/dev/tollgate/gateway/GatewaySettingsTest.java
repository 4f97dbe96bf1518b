package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.gateway.edge.ClientLimits;
import dev.tollgate.gateway.edge.Http2Limits;
import dev.tollgate.gateway.edge.UnderscoreHeaders;
import dev.tollgate.gateway.websocket.WebSocketSettings;
import dev.tollgate.redis.RedisTarget;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

  @Test
  void defaultsApplyWhenNothingIsSet() {
    GatewaySettings settings = GatewaySettings.from(Map.of());
    assertThat(settings.port()).isEqualTo(8080);
    assertThat(settings.adminPort()).isEqualTo(9090);
    assertThat(settings.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(settings.configDir()).isEmpty();
    assertThat(settings.redis()).isEmpty();
    assertThat(settings.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.trustedProxies().isEmpty()).isTrue();
  }

  @Test
  void clientLimitsAndTheAdminAddressDefaultClosed() {
    GatewaySettings settings = GatewaySettings.from(Map.of("TOLLGATE_BIND_ADDRESS", "0.0.0.0"));

    assertThat(settings.adminBindAddress()).isEqualTo("127.0.0.1");
    assertThat(settings.adminTokenFile()).isEmpty();
    assertThat(settings.clientLimits())
        .isEqualTo(
            new ClientLimits(
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                Duration.ofSeconds(75),
                10_000,
                2_000,
                UnderscoreHeaders.DROP));
  }

  @Test
  void http2LimitsDefaultToBoundedValuesAndNameTheSettingWhenBad() {
    assertThat(GatewaySettings.from(Map.of()).http2Limits())
        .isEqualTo(new Http2Limits(128, 262_144, 100));
    assertThat(
            GatewaySettings.from(Map.of(), "--h2-max-concurrent-streams=8")
                .http2Limits()
                .maxConcurrentStreams())
        .isEqualTo(8);
    assertThatThrownBy(
            () -> GatewaySettings.from(Map.of("TOLLGATE_H2_MAX_CONCURRENT_STREAMS", "0")))
        .hasMessage(
            "TOLLGATE_H2_MAX_CONCURRENT_STREAMS must be a whole number of at least 1, was '0'");
    assertThatThrownBy(
            () -> GatewaySettings.from(Map.of("TOLLGATE_H2_INITIAL_WINDOW_SIZE", "1024")))
        .hasMessage("TOLLGATE_H2_INITIAL_WINDOW_SIZE must be at least 65535, was 1024");
    assertThatThrownBy(() -> GatewaySettings.from(Map.of("TOLLGATE_H2_MAX_RAPID_RESETS", "x")))
        .hasMessage("TOLLGATE_H2_MAX_RAPID_RESETS must be a whole number of at least 1, was 'x'");
  }

  @Test
  void badClientLimitsNameTheSetting() {
    assertThatThrownBy(() -> GatewaySettings.from(Map.of("TOLLGATE_UNDERSCORE_HEADERS", "keep")))
        .hasMessage("TOLLGATE_UNDERSCORE_HEADERS must be drop, refuse or allow, was 'keep'");
    assertThatThrownBy(() -> GatewaySettings.from(Map.of("TOLLGATE_MAX_CONNECTIONS", "0")))
        .hasMessage("TOLLGATE_MAX_CONNECTIONS must be a whole number of at least 1, was '0'");
    assertThatThrownBy(() -> GatewaySettings.from(Map.of(), "--client-header-timeout=forever"))
        .hasMessageStartingWith("TOLLGATE_CLIENT_HEADER_TIMEOUT: invalid duration 'forever'");
    assertThatThrownBy(() -> GatewaySettings.from(Map.of(), "--client-send-timeout=soon"))
        .hasMessageStartingWith("TOLLGATE_CLIENT_SEND_TIMEOUT: invalid duration 'soon'");
  }

  @Test
  void theClientSendTimeoutIsASetting() {
    assertThat(
            GatewaySettings.from(Map.of(), "--client-send-timeout=5s").clientLimits().sendTimeout())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(
            GatewaySettings.from(Map.of("TOLLGATE_CLIENT_SEND_TIMEOUT", "2m"))
                .clientLimits()
                .sendTimeout())
        .isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void webSocketBoundsDefaultAndBadOnesNameTheSetting() {
    assertThat(GatewaySettings.from(Map.of()).webSockets())
        .isEqualTo(new WebSocketSettings(1000, Duration.ofMinutes(5), Duration.ofHours(24)));
    assertThat(
            GatewaySettings.from(Map.of(), "--websocket-idle-timeout=30s")
                .webSockets()
                .idleTimeout())
        .isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(
            () -> GatewaySettings.from(Map.of("TOLLGATE_WEBSOCKET_MAX_CONNECTIONS", "0")))
        .hasMessage(
            "TOLLGATE_WEBSOCKET_MAX_CONNECTIONS must be a whole number of at least 1, was '0'");
    assertThatThrownBy(() -> GatewaySettings.from(Map.of("TOLLGATE_WEBSOCKET_IDLE_TIMEOUT", "0s")))
        .hasMessageStartingWith("TOLLGATE_WEBSOCKET_IDLE_TIMEOUT: invalid duration '0s'");
    assertThatThrownBy(
            () -> GatewaySettings.from(Map.of("TOLLGATE_WEBSOCKET_MAX_LIFETIME", "a day")))
        .hasMessageStartingWith("TOLLGATE_WEBSOCKET_MAX_LIFETIME: invalid duration");
  }

  @Test
  void flagsOverrideEnvironmentVariables() throws Exception {
    GatewaySettings settings =
        GatewaySettings.from(
            Map.of("TOLLGATE_PORT", "1000", "TOLLGATE_CONFIG_DIR", "/env"),
            "--port=2000",
            "--config-dir",
            "/flag",
            "--trusted-proxies=10.0.0.0/8, fd00::/8");
    assertThat(settings.port()).isEqualTo(2000);
    assertThat(settings.configDir()).contains(Path.of("/flag"));
    assertThat(settings.trustedProxies().contains(InetAddress.getByName("10.1.2.3"))).isTrue();
    assertThat(settings.trustedProxies().contains(InetAddress.getByName("11.1.2.3"))).isFalse();
    assertThat(settings.trustedProxies().contains(InetAddress.getByName("fd00::1"))).isTrue();
  }

  @Test
  void readsRedisTheWayTheOperatorDoes() {
    GatewaySettings settings =
        GatewaySettings.from(
            Map.of(
                "TOLLGATE_REDIS_URL", "redis-sentinel://s1:26379,s2:26379,s3:26379#mymaster",
                "TOLLGATE_GATEWAY_NAME", "edge"));

    assertThat(settings.redis())
        .hasValueSatisfying(
            redis -> {
              assertThat(redis.gatewayName()).isEqualTo("edge");
              assertThat(redis.target()).isInstanceOf(RedisTarget.Sentinel.class);
            });
    assertThatThrownBy(
            () ->
                GatewaySettings.from(
                    Map.of(
                        "TOLLGATE_REDIS_URL", "redis://r:6379", "TOLLGATE_GATEWAY_NAME", "Edge")))
        .hasMessageStartingWith("TOLLGATE_GATEWAY_NAME=Edge: expected a DNS label");
  }

  @Test
  void badValuesNameTheSetting() {
    assertThatThrownBy(() -> GatewaySettings.from(Map.of("TOLLGATE_ADMIN_PORT", "70000")))
        .hasMessage("TOLLGATE_ADMIN_PORT must be a whole number from 0 to 65535, was '70000'");
    assertThatThrownBy(() -> GatewaySettings.from(Map.of(), "--drain-timeout=soon"))
        .hasMessageStartingWith("TOLLGATE_DRAIN_TIMEOUT: invalid duration 'soon'");
    assertThatThrownBy(() -> GatewaySettings.from(Map.of(), "--no-such-flag=1"))
        .hasMessage("unknown flag --no-such-flag");
    assertThatThrownBy(
            () -> GatewaySettings.from(Map.of("TOLLGATE_TRUSTED_PROXIES", "proxy.local")))
        .hasMessageContaining("TOLLGATE_TRUSTED_PROXIES: 'proxy.local' is not an IP address");
  }
}
