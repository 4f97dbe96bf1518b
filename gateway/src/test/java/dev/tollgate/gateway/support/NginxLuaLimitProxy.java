package dev.tollgate.gateway.support;

import static org.awaitility.Awaitility.await;

import dev.tollgate.testkit.FreePort;
import dev.tollgate.testkit.TempDirs;
import dev.tollgate.testkit.redis.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The design Kong's and APISIX's Redis rate limiting share, as a second baseline: nginx (one
 * worker) with the Lua module, whose access phase decides every request with one Redis token-bucket
 * script ({@code EVALSHA} over a pooled connection, keyed by a header) before it proxies to the
 * upstream with keep-alive. Refused requests get 429. It is what the OpenResty + Redis Lua design
 * costs on the same machine, built from Debian's packages (nginx, {@code libnginx-mod-http-lua},
 * {@code lua-nginx-redis}, which is lua-resty-redis).
 */
public final class NginxLuaLimitProxy implements AutoCloseable {
  private static final Path MODULES = Path.of("/usr/lib/nginx/modules");
  private static final Path LUA_LIBRARIES = Path.of("/usr/share/lua/5.1");

  /**
   * A token bucket as such designs write it: the level and its time in a hash, refilled from
   * Redis's clock, one token per request, the key expiring once the bucket would be full again.
   */
  private static final String TOKEN_BUCKET =
      """
      local rate = tonumber(ARGV[1])
      local burst = tonumber(ARGV[2])
      local clock = redis.call('TIME')
      local now = clock[1] * 1000000 + clock[2]
      local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
      local tokens = tonumber(state[1]) or burst
      local at = tonumber(state[2]) or now
      tokens = math.min(burst, tokens + (now - at) * rate / 1000000)
      local allowed = 0
      if tokens >= 1 then
        tokens = tokens - 1
        allowed = 1
      end
      redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
      redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
      return {allowed, math.floor(tokens)}
      """;

  private final Path dir;
  private final Process process;
  private final int port;

  private NginxLuaLimitProxy(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  /**
   * @param upstream {@code http://host:port} to proxy to
   * @param keyHeader the header whose value keys the bucket (a missing one is a key of its own)
   * @param requestsPerSecond the bucket's refill rate, also its size
   */
  public static NginxLuaLimitProxy start(
      URI upstream, RedisServer redis, String keyHeader, long requestsPerSecond) {
    for (Path required :
        new Path[] {
          MODULES.resolve("ngx_http_lua_module.so"), LUA_LIBRARIES.resolve("nginx/redis.lua")
        }) {
      if (!Files.exists(required)) {
        throw new IllegalStateException(
            required
                + " is missing: the nginx + Lua baseline needs Debian's libnginx-mod-http-lua and"
                + " lua-nginx-redis (tools/provision.sh installs them)");
      }
    }
    String sha = redis.cli("SCRIPT", "LOAD", TOKEN_BUCKET);
    Path dir = TempDirs.create("tollgate-nginx-lua");
    int port = FreePort.pick();
    String variable = "http_" + keyHeader.toLowerCase().replace('-', '_');
    String config =
        """
        load_module %1$s/ndk_http_module.so;
        load_module %1$s/ngx_http_lua_module.so;
        %2$s
          lua_package_path "%3$s/?.lua;;";
          init_by_lua_block { redis = require "nginx.redis" }
          upstream backend { server %4$s:%5$d; keepalive 256; }
          server {
            listen 127.0.0.1:%6$d;
            location / {
              access_by_lua_block {
                local red = redis:new()
                -- set_timeout, not set_timeouts: Debian's pair logs an error per request for the
                -- latter on a socket not yet connected
                red:set_timeout(1000)
                local ok, err = red:connect("%7$s", %8$d)
                if not ok then
                  ngx.log(ngx.ERR, "redis: ", err)
                  return ngx.exit(500)
                end
                local res, err = red:evalsha("%9$s", 1, "nginx-lua:" .. (ngx.var.%10$s or ""),
                  %11$d, %11$d)
                if not res then
                  ngx.log(ngx.ERR, "redis: ", err)
                  return ngx.exit(500)
                end
                red:set_keepalive(60000, 256)
                ngx.header["RateLimit-Remaining"] = res[2]
                if res[1] == 0 then
                  return ngx.exit(429)
                end
              }
              proxy_pass http://backend;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
            }
          }
        }
        """
            .formatted(
                MODULES,
                NginxConfig.head(dir, 4096),
                LUA_LIBRARIES,
                upstream.getHost(),
                upstream.getPort(),
                port,
                redis.host(),
                redis.port(),
                sha,
                variable,
                requestsPerSecond);
    Process process;
    try {
      process = NginxProcess.launch(dir, config);
    } catch (RuntimeException e) {
      TempDirs.deleteRecursively(dir);
      throw e;
    }
    NginxLuaLimitProxy proxy = new NginxLuaLimitProxy(dir, process, port);
    try {
      await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> NginxProcess.accepts(port));
      return proxy;
    } catch (RuntimeException e) {
      String log = proxy.log();
      proxy.close();
      throw new IllegalStateException("nginx + Lua did not start: " + log, e);
    }
  }

  /** What nginx wrote on start-up and to its error log, for a start that failed. */
  private String log() {
    StringBuilder log = new StringBuilder();
    for (String name : new String[] {"stdout.log", "error.log"}) {
      try {
        log.append(Files.readString(dir.resolve(name)));
      } catch (IOException e) {
        log.append(name).append(": ").append(e.getMessage()).append('\n');
      }
    }
    return log.toString();
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The pid of its one worker. */
  public long workerPid() {
    return NginxProcess.workerPid(process);
  }

  @Override
  public void close() {
    NginxProcess.stop(process);
    TempDirs.deleteRecursively(dir);
  }
}
