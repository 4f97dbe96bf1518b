package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lua and the in-process twins agree on seeded random sequences ({@link TwinReplay}), one Redis.
 */
class LuaTwinPropertyIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;

  @BeforeAll
  static void connect() {
    client = RedisClient.create(REDIS.uri());
    connection = client.connect();
  }

  @AfterAll
  static void disconnect() {
    connection.close();
    client.shutdown();
  }

  static Stream<Arguments> runs() {
    return TwinReplay.runs(4);
  }

  @ParameterizedTest(name = "{0} seed={1}")
  @MethodSource("runs")
  void luaScriptAndInProcessTwinGiveTheSameFigures(Algorithm primary, long seed) {
    TwinReplay.replay(primary, seed, REDIS.uri(), connection.sync(), true);
  }
}
