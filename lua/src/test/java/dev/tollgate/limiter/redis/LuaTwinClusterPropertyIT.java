package dev.tollgate.limiter.redis;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.testkit.redis.RedisClusterExtension;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lua on a three-master cluster and the in-process twins agree on seeded random sequences ({@link
 * TwinReplay}): the clients' limits spread over slots, so rejections go through the cross-slot
 * refund, which must leave exactly the state and figures of an atomic decision. Without edits of
 * the numbers: a refund rewrites a key, so its TTL then follows the current numbers, while an
 * atomic rejection leaves the TTL an edit made stale (docs/limiter.md, "Limit edits").
 */
class LuaTwinClusterPropertyIT {
  @RegisterExtension static final RedisClusterExtension CLUSTER = new RedisClusterExtension();

  private static RedisClusterClient client;
  private static StatefulRedisClusterConnection<String, String> connection;

  @BeforeAll
  static void connect() {
    client =
        RedisClusterClient.create(
            CLUSTER.cluster().nodes().stream().map(node -> RedisURI.create(node.uri())).toList());
    connection = client.connect();
  }

  @AfterAll
  static void disconnect() {
    connection.close();
    client.shutdown();
  }

  static Stream<Arguments> runs() {
    return TwinReplay.runs(2);
  }

  @ParameterizedTest(name = "{0} seed={1}")
  @MethodSource("runs")
  void luaOnAClusterAndInProcessTwinGiveTheSameFigures(Algorithm primary, long seed) {
    TwinReplay.replay(primary, seed, CLUSTER.cluster().uri(), connection.sync(), false);
  }
}
