package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.testkit.redis.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisCredentialsIT {
  private static final String PASSWORD = "p@ss:w/rd#1 %";
  private static RedisServer redis;

  @BeforeAll
  static void startRedisWithAPassword() {
    redis = RedisServer.start(List.of("--requirepass", PASSWORD));
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void passwordFromItsOwnVariableAuthenticatesWhateverItsCharacters() {
    GatewaySettings settings =
        GatewaySettings.from(
            Map.of("TOLLGATE_REDIS_URL", redis.uri(), "TOLLGATE_REDIS_PASSWORD", PASSWORD));

    assertThat(ping(settings.redisUrl().orElseThrow())).isEqualTo("PONG");
    assertThat(settings.raw().get("TOLLGATE_REDIS_URL")).isEqualTo(settings.redisUrl().get());
  }

  @Test
  void passwordVariableWinsOverCredentialsInTheUrl() {
    String urlWithStaleCredentials = "redis://:old-secret@127.0.0.1:" + redis.port();
    GatewaySettings settings =
        GatewaySettings.from(
            Map.of(
                "TOLLGATE_REDIS_URL",
                urlWithStaleCredentials,
                "TOLLGATE_REDIS_PASSWORD",
                PASSWORD));

    assertThat(ping(settings.redisUrl().orElseThrow())).isEqualTo("PONG");
  }

  @Test
  void withoutThePasswordTheServerRefusesTheConnection() {
    GatewaySettings settings = GatewaySettings.from(Map.of("TOLLGATE_REDIS_URL", redis.uri()));

    assertThatThrownBy(() -> ping(settings.redisUrl().orElseThrow()))
        .isInstanceOf(RedisConnectionException.class);
  }

  @Test
  void everyClusterSeedGetsTheCredentials() {
    String url =
        RedisCredentials.apply(
            "redis://10.0.0.1:7000, redis://10.0.0.2:7000",
            Optional.of("tollgate"),
            Optional.of("s e"));

    assertThat(url)
        .isEqualTo("redis://tollgate:s%20e@10.0.0.1:7000,redis://tollgate:s%20e@10.0.0.2:7000");
  }

  private static String ping(String url) {
    RedisClient client = RedisClient.create(url);
    try (var connection = client.connect()) {
      return connection.sync().ping();
    } finally {
      client.shutdown();
    }
  }
}
