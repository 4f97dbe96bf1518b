package dev.tollgate.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testkit.redis.RedisServer;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's nginx + Lua baseline really decides with Redis: it proxies what its token bucket
 * admits, refuses the rest per key, and keeps its state where Redis keeps it. A baseline that
 * silently skipped Redis would flatter itself in every run.
 */
class NginxLuaLimitProxyIT {
  private static NginxProxy upstream;
  private static RedisServer redis;
  private static NginxLuaLimitProxy proxy;

  @BeforeAll
  static void start() {
    upstream = NginxProxy.start();
    redis = RedisServer.start();
    // one request per second per key, a bucket of one: a second request within the second is
    // refused however slow the machine
    proxy = NginxLuaLimitProxy.start(URI.create(upstream.upstreamUrl()), redis, "X-User", 1);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {proxy, redis, upstream}) {
      if (closeable != null) {
        try {
          closeable.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  @Test
  void admitsWhatTheBucketHoldsAndRefusesTheRestPerKey() {
    Curl.Response first = Curl.run("-H", "X-User: alice", proxy.url() + "/items");
    Curl.Response second = Curl.run("-H", "X-User: alice", proxy.url() + "/items");
    Curl.Response other = Curl.run("-H", "X-User: bob", proxy.url() + "/items");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.text()).isEqualTo("ok\n");
    assertThat(first.header("RateLimit-Remaining")).isEqualTo("0");
    assertThat(second.status()).isEqualTo(429);
    assertThat(other.status()).isEqualTo(200);
    assertThat(redis.cli("HGET", "nginx-lua:alice", "at")).isNotBlank();
    assertThat(Long.parseLong(redis.cli("PTTL", "nginx-lua:alice"))).isPositive();
  }
}
