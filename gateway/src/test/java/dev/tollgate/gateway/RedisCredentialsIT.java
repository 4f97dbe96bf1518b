package dev.tollgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.testkit.redis.RedisServer;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.codec.StringCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway reaches a password-protected Redis with the credentials of {@code
 * TOLLGATE_REDIS_PASSWORD}, set on the connection (never spliced into the URL), whatever their
 * characters and whatever stale ones the URL carries.
 */
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

    assertThat(ping(settings)).isEqualTo("PONG");
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

    assertThat(ping(settings)).isEqualTo("PONG");
  }

  @Test
  void withoutThePasswordTheServerRefusesTheConnection() {
    GatewaySettings settings = GatewaySettings.from(Map.of("TOLLGATE_REDIS_URL", redis.uri()));

    assertThatThrownBy(() -> ping(settings)).isInstanceOf(RedisConnectionException.class);
  }

  private static String ping(GatewaySettings settings) {
    try (RedisConnection<String, String> connection =
        RedisConnection.open(
            settings.redis().orElseThrow().target(), LettuceOptions.control(), StringCodec.UTF8)) {
      return connection.sync().ping();
    }
  }
}
