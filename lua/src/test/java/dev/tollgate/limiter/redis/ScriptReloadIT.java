package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis lost the script (a restart, {@code SCRIPT FLUSH}): {@code NOSCRIPT} ran nothing, and both
 * transports load the script and send the call again, unless its caller has given up by then, which
 * would charge it for a decision nobody got. Each transport is driven directly with one consume
 * call of one limit on a real Redis.
 */
class ScriptReloadIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final LimitCheck CHECK =
      new LimitCheck(
          LimitDefinition.of(
              new LimitId("shop", "orders", "reload"),
              Algorithm.TOKEN_BUCKET,
              10,
              Duration.ofMinutes(1)),
          "sub=alice");

  private static final RedisKeys KEYS = new RedisKeys("it");

  private static final List<ScriptCall> CALLS =
      List.of(
          new ScriptCall(
              new SlotGrouping(KEYS, false).groups(List.of(CHECK)).getFirst(),
              DecideCodec.CONSUME,
              "nonce"));

  private static CompletableFuture<List<Object>> run(ScriptTransport transport, long sendByNanos) {
    return transport.run(DecideCodec.keys(CALLS), DecideCodec.arguments("", 0, CALLS), sendByNanos);
  }

  private static void assertNotSentNorCharged(CompletableFuture<List<Object>> call) {
    assertThatThrownBy(call::join).cause().isInstanceOf(BatchNotSentException.class);
    assertThat(REDIS.server().cli("EXISTS", KEYS.stateKey(CHECK))).isEqualTo("0");
    assertThat(REDIS.server().cli("SCRIPT", "EXISTS", LimiterScript.production().sha1()))
        .isEqualTo("1");
  }

  /** The own sockets: Redis hangs past the call's send-by time before it answers NOSCRIPT. */
  @Test
  void theOwnSocketsDoNotSendACallAgainWhoseCallerGaveUp() throws Exception {
    try (DirectScriptRunner runner =
        new DirectScriptRunner(
            RedisURI.create(REDIS.uri()),
            LimiterScript.production(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1))) {
      runner.connect();
      REDIS.server().cli("SCRIPT", "FLUSH");
      CompletableFuture<List<Object>> call;
      REDIS.server().pause();
      try {
        call = run(runner, System.nanoTime() + Duration.ofMillis(300).toNanos());
        Thread.sleep(Duration.ofMillis(600));
      } finally {
        REDIS.server().resume();
      }

      assertNotSentNorCharged(call);
    }
  }

  /**
   * Lettuce writes the first {@code EVALSHA} at once, whatever the send-by time; here that time has
   * passed before the write, so it has when the script is loaded again.
   */
  @Test
  void lettuceDoesNotSendACallAgainWhoseCallerGaveUp() {
    RedisClient client = RedisClient.create(REDIS.uri());
    try (StatefulRedisConnection<byte[], byte[]> connection =
        client.connect(ByteArrayCodec.INSTANCE)) {
      ScriptRunner runner = new ScriptRunner(connection.async(), LimiterScript.production());
      REDIS.server().cli("SCRIPT", "FLUSH");

      assertNotSentNorCharged(run(runner, System.nanoTime() - 1));
    } finally {
      client.shutdown();
    }
  }
}
