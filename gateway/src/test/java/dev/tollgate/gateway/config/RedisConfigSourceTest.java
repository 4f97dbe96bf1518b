package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisConfigSourceTest {

  @Test
  void podIdIsTheHostnameKubernetesSetsToThePodName() {
    assertThat(RedisConfigSource.podId(Map.of("HOSTNAME", "tollgate-gateway-7d9f-x2k4q")))
        .isEqualTo("tollgate-gateway-7d9f-x2k4q");
  }

  @Test
  void podIdIsRandomOutsideKubernetesSoTwoLocalGatewaysNeverShareAKey() {
    String first = RedisConfigSource.podId(Map.of());
    String second = RedisConfigSource.podId(Map.of("HOSTNAME", " "));

    assertThat(first).startsWith("gateway-").isNotEqualTo(second);
    assertThat(second).startsWith("gateway-");
  }

  @Test
  void refusesAMalformedUrlAtConstructionWithoutEchoingIt() {
    assertThatThrownBy(
            () -> new RedisConfigSource("redis://:s3cret@[bad", "gw", "pod", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOLLGATE_REDIS_URL: not a Redis URL")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aSentinelUrlWithSeveralSentinelsIsOneTargetNotACluster() {
    assertThat(SnapshotConnection.nodes("redis-sentinel://s1:26379,s2:26379#mymaster"))
        .singleElement()
        .satisfies(
            uri -> {
              assertThat(uri.getSentinels()).hasSize(2);
              assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
            });
    assertThat(SnapshotConnection.nodes("redis://a:7000, redis://b:7001")).hasSize(2);
  }
}
