package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisTargetTest {
  @Test
  void readsAStandaloneUrlWithTls() {
    assertThat(RedisTarget.parse("rediss://user:secret@redis.example:6380/2"))
        .isInstanceOfSatisfying(
            RedisTarget.Standalone.class,
            target -> {
              assertThat(target.uri().isSsl()).isTrue();
              assertThat(target.uri().getPort()).isEqualTo(6380);
              assertThat(target.uri().getDatabase()).isEqualTo(2);
            });
  }

  @Test
  void readsASentinelUrlWithItsMaster() {
    assertThat(RedisTarget.parse("redis-sentinel://s1:26379,s2:26379#mymaster"))
        .isInstanceOfSatisfying(
            RedisTarget.Sentinel.class,
            target -> {
              assertThat(target.uri().getSentinelMasterId()).isEqualTo("mymaster");
              assertThat(target.uri().getSentinels()).hasSize(2);
            });
  }

  @Test
  void readsCommaSeparatedNodesAsACluster() {
    assertThat(RedisTarget.parse("redis://a:7000, redis://b:7001,redis://c:7002"))
        .isInstanceOfSatisfying(
            RedisTarget.Cluster.class, target -> assertThat(target.seeds()).hasSize(3));
  }

  @Test
  void rejectsAnUnknownSchemeWithoutEchoingThePassword() {
    assertThatThrownBy(() -> RedisTarget.parse("http://user:secret@redis:6379"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOLLGATE_REDIS_URL: 'http://***@redis:6379' must start with")
        .hasMessageNotContaining("secret");
  }
}
