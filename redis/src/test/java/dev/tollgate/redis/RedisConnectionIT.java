package dev.tollgate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.redis.MovableAddress;
import dev.tollgate.testkit.redis.RedisServer;
import dev.tollgate.testkit.redis.RedisServerExtension;
import dev.tollgate.testkit.redis.SentinelProcess;
import io.lettuce.core.RedisException;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the operator and the gateways get from {@link RedisSettings} and {@link RedisConnection}, on
 * real redis-server and redis-sentinel processes: a URL listing several sentinels reaches the
 * master (commands and pub/sub) even when the first sentinel listed is down, and a password set
 * apart from the URL authenticates whatever its characters.
 */
class RedisConnectionIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Test
  void aMultiSentinelUrlReachesTheMasterThroughWhicheverSentinelAnswers() throws Exception {
    try (SentinelProcess sentinel = new SentinelProcess(REDIS.server())) {
      await().atMost(Duration.ofSeconds(20)).until(sentinel::knowsMaster);
      int nobodyListens = FreePort.pick();
      String url =
          "redis-sentinel://127.0.0.1:"
              + nobodyListens
              + ","
              + sentinel.address()
              + "#"
              + SentinelProcess.MASTER_NAME;
      RedisSettings settings =
          RedisSettings.from(
                  Map.of(RedisSettings.URL, url, RedisSettings.GATEWAY_NAME, "edge")::get)
              .orElseThrow();

      try (RedisConnection<String, String> connection =
          RedisConnection.open(settings.target(), LettuceOptions.control(), StringCodec.UTF8)) {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        connection.subscribe(
            settings.keys().channel(),
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String channel, String message) {
                messages.add(message);
              }
            });

        connection.sync().set(settings.keys().version(), "7");
        connection.sync().publish(settings.keys().channel(), "7");

        assertThat(connection.cluster()).isFalse();
        assertThat(REDIS.server().cli("GET", "tollgate:{edge}:config:version")).isEqualTo("7");
        assertThat(messages.poll(10, TimeUnit.SECONDS)).isEqualTo("7");
      }
    }
  }

  @Test
  void aPasswordGivenApartFromTheUrlAuthenticatesWhateverItsCharacters() {
    String password = "p@ss:w/rd#1 %";
    try (RedisServer secured = RedisServer.start(List.of("--requirepass", password))) {
      RedisSettings settings =
          RedisSettings.from(
                  Map.of(
                          RedisSettings.URL,
                          "redis://:stale@127.0.0.1:" + secured.port(),
                          RedisSettings.PASSWORD,
                          password)
                      ::get)
              .orElseThrow();

      try (RedisConnection<String, String> connection =
          RedisConnection.open(settings.target(), LettuceOptions.control(), StringCodec.UTF8)) {
        assertThat(connection.sync().ping()).isEqualTo("PONG");
      }
    }
  }

  @Test
  void aStandaloneConnectionFollowsAFailoverBehindAStableAddress() {
    try (RedisServer promoted = RedisServer.start();
        MovableAddress address = new MovableAddress(REDIS.server().port());
        RedisConnection<String, String> connection =
            RedisConnection.open(
                RedisTarget.parse("redis://127.0.0.1:" + address.port()),
                LettuceOptions.control(),
                StringCodec.UTF8)) {
      connection.sync().set("before", "1");
      // the failover: the old master follows the new one, the address names the new one; the
      // open connection still reaches the old master
      REDIS.server().cli("REPLICAOF", promoted.host(), Integer.toString(promoted.port()));
      address.moveTo(promoted.port());

      assertThatThrownBy(() -> connection.sync().set("after", "1"))
          .hasMessageStartingWith("READONLY");
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(connection.sync().set("after", "2")).isEqualTo("OK"));
      assertThat(promoted.cli("GET", "after")).isEqualTo("2");
    } finally {
      REDIS.server().cli("REPLICAOF", "NO", "ONE");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"redis", "rediss"})
  void aRedisThatAcceptsButNeverAnswersFailsTheConnectWithinSeconds(String scheme) {
    try (RedisServer frozen = RedisServer.start()) {
      frozen.pause(); // the kernel still accepts TCP connections; nothing answers on them
      String url = scheme + "://127.0.0.1:" + frozen.port() + "?verifyPeer=NONE";
      long start = System.nanoTime();

      assertThatThrownBy(
              () ->
                  RedisConnection.open(
                      RedisTarget.parse(url), LettuceOptions.control(), StringCodec.UTF8))
          .isInstanceOf(RedisException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aFrozenSentinelListedFirstDelaysTheConnectBySecondsOnly() throws Exception {
    try (RedisServer frozenSentinel = RedisServer.start();
        SentinelProcess sentinel = new SentinelProcess(REDIS.server())) {
      await().atMost(Duration.ofSeconds(20)).until(sentinel::knowsMaster);
      frozenSentinel.pause();
      String url =
          "redis-sentinel://127.0.0.1:"
              + frozenSentinel.port()
              + ","
              + sentinel.address()
              + "#"
              + SentinelProcess.MASTER_NAME;
      long start = System.nanoTime();

      try (RedisConnection<String, String> connection =
          RedisConnection.open(
              RedisTarget.parse(url), LettuceOptions.control(), StringCodec.UTF8)) {
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(connection.sync().set("through-the-second-sentinel", "1")).isEqualTo("OK");
      }
    }
  }
}
