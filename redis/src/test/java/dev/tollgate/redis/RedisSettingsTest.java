package dev.tollgate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {
  @Test
  void aUserWithoutAPasswordIsRefusedRatherThanDropped() {
    Map<String, String> env =
        Map.of(RedisSettings.URL, "redis://redis:6379", RedisSettings.USERNAME, "gateway");

    assertThatThrownBy(() -> RedisSettings.from(env::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "TOLLGATE_REDIS_USERNAME is set without TOLLGATE_REDIS_PASSWORD: set both, or neither");
  }

  @Test
  void aUserWithAPasswordOrNeitherIsTaken() {
    assertThat(
            RedisSettings.from(
                Map.of(
                        RedisSettings.URL, "redis://redis:6379",
                        RedisSettings.USERNAME, "gateway",
                        RedisSettings.PASSWORD, "s3cret")
                    ::get))
        .get()
        .extracting(
            s ->
                s.target()
                    .nodes()
                    .getFirst()
                    .getCredentialsProvider()
                    .resolveCredentials()
                    .block()
                    .getUsername())
        .isEqualTo("gateway");
    assertThat(RedisSettings.from(Map.of(RedisSettings.URL, "redis://redis:6379")::get))
        .isPresent();
    assertThat(
            RedisSettings.from(
                Map.of(RedisSettings.URL, "redis://redis:6379", RedisSettings.USERNAME, " ")::get))
        .isPresent();
  }
}
