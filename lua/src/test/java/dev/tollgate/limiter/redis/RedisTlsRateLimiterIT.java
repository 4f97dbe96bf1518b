package dev.tollgate.limiter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.limiter.Algorithm;
import dev.tollgate.limiter.LimitCheck;
import dev.tollgate.limiter.LimitDecision;
import dev.tollgate.limiter.LimitDefinition;
import dev.tollgate.limiter.LimitId;
import dev.tollgate.limiter.LimitRequest;
import dev.tollgate.limiter.LimiterUnavailableException;
import dev.tollgate.limiter.LimiterUnavailableException.Reason;
import dev.tollgate.limiter.RateLimiter;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServer;
import dev.tollgate.testkit.redis.RedisTlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@code rediss://} URL reaches a real TLS-only port of redis-server, verifying the server's
 * certificate (issued here for the IP address 127.0.0.1 by a throw-away CA that the JVM trust store
 * is pointed at) and, unless the URL asks for {@code verifyPeer=CA}, the address the URL names
 * against it.
 */
class RedisTlsRateLimiterIT {
  private static final LimitCheck CHECK =
      new LimitCheck(
          LimitDefinition.of(
              new LimitId("shop", "orders", "per-user"),
              Algorithm.TOKEN_BUCKET,
              1,
              Duration.ofHours(1)),
          "sub=alice");

  private static Path dir;
  private static String previousTrustStore;
  private static int tlsPort;
  private static RedisServer redis;

  @BeforeAll
  static void startTlsRedis() {
    dir = TempDirs.create("tollgate-tls-");
    previousTrustStore = System.getProperty("javax.net.ssl.trustStore");
    RedisTlsFiles tls = RedisTlsFiles.issue(dir);
    tlsPort = tls.tlsPort();
    System.setProperty("javax.net.ssl.trustStore", tls.trustStore().toString());
    System.setProperty("javax.net.ssl.trustStorePassword", RedisTlsFiles.TRUST_STORE_PASSWORD);
    redis = RedisServer.start(tls.serverArgs());
  }

  @AfterAll
  static void stopTlsRedis() {
    try {
      if (redis != null) {
        redis.close();
      }
    } finally {
      restore("javax.net.ssl.trustStore", previousTrustStore);
      System.clearProperty("javax.net.ssl.trustStorePassword");
      TempDirs.deleteRecursively(dir);
    }
  }

  @AfterEach
  void flush() {
    redis.cli("FLUSHALL");
  }

  private static RateLimiter limiter(String url) {
    return RedisLimiterFactory.create(
        url, RedisLimiterOptions.defaults("it").withDecisionBudget(Duration.ofSeconds(5)));
  }

  @Test
  void decidesOverTls() {
    redis.cli("CONFIG", "RESETSTAT");
    try (RateLimiter limiter = limiter("rediss://127.0.0.1:" + tlsPort)) {
      assertThat(decide(limiter)).isTrue();
      assertThat(decide(limiter)).isFalse();
      assertThat(redis.cli("DBSIZE")).isEqualTo("1");
    }
    // the engine's own sockets (DirectScriptRunner) prove a new socket with PING; Lettuce, which
    // the other topologies use, opens with HELLO
    assertThat(redis.cli("INFO", "commandstats"))
        .contains("cmdstat_ping:")
        .doesNotContain("cmdstat_hello:");
  }

  @Test
  void refusesAServerWhoseCertificateDoesNotNameTheUrlsHost() {
    // the certificate names 127.0.0.1 only; "localhost" reaches the same server
    assertThatThrownBy(() -> limiter("rediss://localhost:" + tlsPort))
        .isInstanceOfSatisfying(
            LimiterUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.DISCONNECTED))
        .hasMessageContaining("localhost")
        .hasCauseInstanceOf(SSLHandshakeException.class);
    assertThat(redis.cli("DBSIZE")).isEqualTo("0");
  }

  @Test
  void verifyPeerCaChecksTheChainButNotTheHost() {
    try (RateLimiter limiter = limiter("rediss://localhost:" + tlsPort + "?verifyPeer=CA")) {
      assertThat(decide(limiter)).isTrue();
      assertThat(redis.cli("DBSIZE")).isEqualTo("1");
    }
  }

  /**
   * {@code verifyPeer=NONE} stays on Lettuce, whose command timeout (1 s) is raised to the decision
   * budget where that is longer: under a 5 s budget a Redis that hangs for 1.5 s still decides
   * (before, Lettuce cut the command at 1 s and the decision failed with TIMEOUT, budget left).
   */
  @Test
  void onLettuceACallMayTakeTheDecisionBudget() throws InterruptedException {
    try (RateLimiter limiter = limiter("rediss://127.0.0.1:" + tlsPort + "?verifyPeer=NONE")) {
      assertThat(decide(limiter)).isTrue();
      CompletableFuture<LimitDecision> pending;
      redis.pause();
      try {
        pending = limiter.decide(LimitRequest.of(CHECK)).toCompletableFuture();
        Thread.sleep(Duration.ofMillis(1_500));
      } finally {
        redis.resume();
      }

      // the limit is 1 an hour: Redis made this decision
      assertThat(pending.join().allowed()).isFalse();
    }
  }

  private static boolean decide(RateLimiter limiter) {
    return limiter.decide(LimitRequest.of(CHECK)).toCompletableFuture().join().allowed();
  }

  private static void restore(String property, String previous) {
    if (previous == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, previous);
    }
  }
}
