package dev.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

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
}
