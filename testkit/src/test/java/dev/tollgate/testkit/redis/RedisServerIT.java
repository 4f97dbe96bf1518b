package dev.tollgate.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void answersPingThroughLettuce() {
    RedisClient client = RedisClient.create(REDIS.uri());
    try (var connection = client.connect()) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void listensOnLoopbackWithoutPersistence() {
    assertThat(REDIS.server().cli("CONFIG", "GET", "bind")).contains("127.0.0.1");
    assertThat(REDIS.server().cli("CONFIG", "GET", "save")).isEqualTo("save");
    assertThat(REDIS.server().cli("CONFIG", "GET", "maxmemory-policy")).contains("volatile-lru");
  }

  @Test
  void restartComesBackEmptyOnTheSamePort() {
    REDIS.server().cli("SET", "k", "v");
    int port = REDIS.server().port();

    REDIS.server().restart();

    assertThat(REDIS.server().port()).isEqualTo(port);
    assertThat(REDIS.server().cli("EXISTS", "k")).isEqualTo("0");
  }

  @Test
  void pausedServerTimesOutCommandsUntilResumed() {
    RedisClient client = RedisClient.create(REDIS.uri());
    try (var connection = client.connect()) {
      // Only the command timeout is short: connecting on a loaded machine may take longer.
      connection.setTimeout(Duration.ofMillis(300));
      REDIS.server().pause();
      assertThatThrownBy(() -> connection.sync().ping()).hasMessageContaining("timed out");
      REDIS.server().resume();
      assertThat(connection.sync().ping()).isEqualTo("PONG");
    } finally {
      REDIS.server().resume();
      client.shutdown();
    }
  }
}
