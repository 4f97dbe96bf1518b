package dev.tollgate.gateway;

import dev.tollgate.api.common.Settings;
import dev.tollgate.gateway.edge.ClientLimits;
import dev.tollgate.gateway.edge.Http2Limits;
import dev.tollgate.gateway.edge.UnderscoreHeaders;
import dev.tollgate.gateway.net.TrustedProxies;
import dev.tollgate.gateway.tls.ClientAuthMode;
import dev.tollgate.gateway.tls.TlsSettings;
import dev.tollgate.gateway.websocket.WebSocketSettings;
import dev.tollgate.logging.LogSettings;
import dev.tollgate.redis.RedisSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the gateway reads from its environment. Each setting is an environment variable {@code
 * TOLLGATE_X_Y} and the flag {@code --x-y=value} (or {@code --x-y value}); a flag wins over the
 * variable. Defaults and meaning are listed in {@link #DEFAULTS} and docs/gateway.md.
 *
 * @param bindAddress address the public socket listens on
 * @param port public (proxy) port; 0 = pick a free one
 * @param adminBindAddress address the admin socket listens on (loopback unless set: the admin port
 *     must never face clients)
 * @param adminPort admin port ({@code /metrics}, {@code /health/*}, {@code /admin/config}); 0 =
 *     pick a free one
 * @param adminTokenFile file holding the bearer token the admin endpoints require (probes
 *     excepted); empty = no token
 * @param configDir standalone configuration directory; empty = read the Redis snapshot
 * @param configPollInterval how often the directory is checked for changes
 * @param redis Redis for the snapshot and the limiters ({@code TOLLGATE_REDIS_URL} with {@code
 *     TOLLGATE_REDIS_USERNAME} / {@code _PASSWORD} and {@code TOLLGATE_GATEWAY_NAME}, read the way
 *     the operator reads them); empty = none (standalone, in-process limiter)
 * @param trustedProxies CIDRs whose X-Forwarded-* headers are believed
 * @param drainTimeout how long shutdown waits for in-flight requests
 * @param upstreamConnectTimeout TCP connect timeout to upstreams
 * @param upstreamPoolSize idle keep-alive connections kept per upstream endpoint
 * @param upstreamIdleTimeout idle keep-alive connections older than this are not reused
 * @param maxHeaderSize largest accepted request header block, in bytes
 * @param maxRequestLine longest accepted request line, in bytes
 * @param clientLimits deadlines and caps for client connections
 * @param tls the HTTPS listener ({@code TOLLGATE_TLS_*}); empty = plain HTTP only (neither
 *     certificate directories nor a certificate bundle directory set)
 * @param upstreamCaFile PEM bundle HTTPS upstreams' certificates are verified against; empty = the
 *     JVM's default trust store
 * @param http2Limits what one HTTP/2 client connection may ask for (streams, window, resets)
 * @param webSockets bounds of proxied WebSockets ({@code TOLLGATE_WEBSOCKET_*})
 * @param values every setting, for the policy stages' own settings (JWT, limiter, access log)
 */
public record GatewaySettings(
    String bindAddress,
    int port,
    String adminBindAddress,
    int adminPort,
    Optional<Path> adminTokenFile,
    Optional<Path> configDir,
    Duration configPollInterval,
    Optional<RedisSettings> redis,
    TrustedProxies trustedProxies,
    Duration drainTimeout,
    Duration upstreamConnectTimeout,
    int upstreamPoolSize,
    Duration upstreamIdleTimeout,
    int maxHeaderSize,
    int maxRequestLine,
    ClientLimits clientLimits,
    Optional<TlsSettings> tls,
    Optional<Path> upstreamCaFile,
    Http2Limits http2Limits,
    WebSocketSettings webSockets,
    Settings values) {

  /** Variables with defaults; an empty default means "unset". */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    // read by LogSettings (the one reading for every component), documented in gateway.md
    d.put(LogSettings.FORMAT, "text");
    d.put(LogSettings.LEVEL, "info");
    d.put("TOLLGATE_BIND_ADDRESS", "0.0.0.0");
    d.put("TOLLGATE_PORT", "8080");
    d.put("TOLLGATE_ADMIN_BIND_ADDRESS", "127.0.0.1");
    d.put("TOLLGATE_ADMIN_PORT", "9090");
    d.put("TOLLGATE_ADMIN_TOKEN_FILE", "");
    d.put("TOLLGATE_CONFIG_DIR", "");
    d.put("TOLLGATE_CONFIG_POLL_INTERVAL", "1s");
    d.put("TOLLGATE_REDIS_URL", "");
    d.put("TOLLGATE_REDIS_USERNAME", "");
    d.put("TOLLGATE_REDIS_PASSWORD", "");
    d.put("TOLLGATE_GATEWAY_NAME", "default");
    d.put("TOLLGATE_TRUSTED_PROXIES", "");
    d.put("TOLLGATE_DRAIN_TIMEOUT", "30s");
    d.put("TOLLGATE_UPSTREAM_CONNECT_TIMEOUT", "2s");
    d.put("TOLLGATE_UPSTREAM_POOL_SIZE", "256");
    d.put("TOLLGATE_UPSTREAM_IDLE_TIMEOUT", "4s");
    d.put("TOLLGATE_MAX_HEADER_SIZE", "16384");
    d.put("TOLLGATE_MAX_REQUEST_LINE", "8192");
    d.put("TOLLGATE_CLIENT_HEADER_TIMEOUT", "60s");
    d.put("TOLLGATE_CLIENT_BODY_TIMEOUT", "60s");
    d.put("TOLLGATE_CLIENT_SEND_TIMEOUT", "60s");
    d.put("TOLLGATE_KEEPALIVE_TIMEOUT", "75s");
    d.put("TOLLGATE_MAX_CONNECTIONS", "10000");
    d.put("TOLLGATE_MAX_REQUESTS_IN_FLIGHT", "2000");
    d.put("TOLLGATE_UNDERSCORE_HEADERS", "drop");
    d.put("TOLLGATE_TLS_PORT", "8443");
    d.put("TOLLGATE_TLS_CERT_DIRS", "");
    d.put("TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR", "");
    d.put("TOLLGATE_TLS_POLL_INTERVAL", "10s");
    d.put("TOLLGATE_TLS_PROTOCOLS", "TLSv1.3,TLSv1.2");
    d.put("TOLLGATE_TLS_CIPHER_SUITES", TlsSettings.DEFAULT_CIPHER_SUITES);
    d.put("TOLLGATE_TLS_CLIENT_AUTH", "off");
    d.put("TOLLGATE_TLS_CLIENT_CA_FILE", "");
    d.put("TOLLGATE_TLS_HANDSHAKE_TIMEOUT", "10s");
    d.put("TOLLGATE_TLS_REDIRECT", "false");
    d.put("TOLLGATE_TLS_REDIRECT_PORT", "443");
    d.put("TOLLGATE_UPSTREAM_CA_FILE", "");
    d.put("TOLLGATE_H2_MAX_CONCURRENT_STREAMS", "128");
    d.put("TOLLGATE_H2_INITIAL_WINDOW_SIZE", "262144");
    d.put("TOLLGATE_H2_MAX_RAPID_RESETS", "100");
    d.put("TOLLGATE_WEBSOCKET_MAX_CONNECTIONS", "1000");
    d.put("TOLLGATE_WEBSOCKET_IDLE_TIMEOUT", "5m");
    d.put("TOLLGATE_WEBSOCKET_MAX_LIFETIME", "24h");
    d.put("TOLLGATE_JWT_ISSUER", "");
    d.put("TOLLGATE_JWT_AUDIENCE", "");
    d.put("TOLLGATE_JWT_JWKS_URI", "");
    d.put("TOLLGATE_JWT_JWKS_FILE", "");
    d.put("TOLLGATE_JWT_JWKS_ALLOW_HTTP", "false");
    d.put("TOLLGATE_JWT_JWKS_CA_FILE", "");
    d.put("TOLLGATE_LIMITER_TIMEOUT", "50ms");
    // read by the policy stages (dev.tollgate.gateway.auth / .ratelimit), documented in policies.md
    d.put("TOLLGATE_JWT_HMAC_SECRET", "");
    d.put("TOLLGATE_JWT_ALGORITHMS", "");
    d.put("TOLLGATE_JWT_LEEWAY", "30s");
    d.put("TOLLGATE_LIMITER_REPLICAS", "1");
    d.put("TOLLGATE_CLIENT_IPV6_PREFIX", "64");
    // read by the access log and stream (dev.tollgate.gateway.access), documented in
    // observability.md
    d.put("TOLLGATE_ACCESS_LOG", "off");
    d.put("TOLLGATE_ACCESS_LOG_FILE", "");
    d.put("TOLLGATE_ACCESS_LOG_SAMPLE", "1");
    d.put("TOLLGATE_ACCESS_STREAM", "off");
    d.put("TOLLGATE_ACCESS_STREAM_MAXLEN", "100000");
    d.put("TOLLGATE_ACCESS_STREAM_QUEUE", "10000");
    d.put("TOLLGATE_ACCESS_STREAM_TIMEOUT", "5s");
    return Map.copyOf(d);
  }

  /**
   * @throws IllegalArgumentException naming the variable/flag and the bad value
   */
  public static GatewaySettings from(Map<String, String> env, String... args) {
    Settings s = Settings.read(DEFAULTS, env, List.of(args));
    return new GatewaySettings(
        s.get("TOLLGATE_BIND_ADDRESS"),
        s.port("TOLLGATE_PORT"),
        s.get("TOLLGATE_ADMIN_BIND_ADDRESS"),
        s.port("TOLLGATE_ADMIN_PORT"),
        s.optional("TOLLGATE_ADMIN_TOKEN_FILE").map(Path::of),
        s.optional("TOLLGATE_CONFIG_DIR").map(Path::of),
        s.duration("TOLLGATE_CONFIG_POLL_INTERVAL"),
        RedisSettings.from(s::lookup),
        trustedProxies(s.get("TOLLGATE_TRUSTED_PROXIES")),
        s.duration("TOLLGATE_DRAIN_TIMEOUT"),
        s.duration("TOLLGATE_UPSTREAM_CONNECT_TIMEOUT"),
        s.positive("TOLLGATE_UPSTREAM_POOL_SIZE"),
        s.duration("TOLLGATE_UPSTREAM_IDLE_TIMEOUT"),
        s.positive("TOLLGATE_MAX_HEADER_SIZE"),
        s.positive("TOLLGATE_MAX_REQUEST_LINE"),
        new ClientLimits(
            s.duration("TOLLGATE_CLIENT_HEADER_TIMEOUT"),
            s.duration("TOLLGATE_CLIENT_BODY_TIMEOUT"),
            s.duration("TOLLGATE_CLIENT_SEND_TIMEOUT"),
            s.duration("TOLLGATE_KEEPALIVE_TIMEOUT"),
            s.positive("TOLLGATE_MAX_CONNECTIONS"),
            s.positive("TOLLGATE_MAX_REQUESTS_IN_FLIGHT"),
            s.choice("TOLLGATE_UNDERSCORE_HEADERS", UnderscoreHeaders.class)),
        tls(s),
        s.optional("TOLLGATE_UPSTREAM_CA_FILE").map(Path::of),
        new Http2Limits(
            s.positive("TOLLGATE_H2_MAX_CONCURRENT_STREAMS"),
            s.positive("TOLLGATE_H2_INITIAL_WINDOW_SIZE"),
            s.positive("TOLLGATE_H2_MAX_RAPID_RESETS")),
        new WebSocketSettings(
            s.positive("TOLLGATE_WEBSOCKET_MAX_CONNECTIONS"),
            s.duration("TOLLGATE_WEBSOCKET_IDLE_TIMEOUT"),
            s.duration("TOLLGATE_WEBSOCKET_MAX_LIFETIME")),
        s);
  }

  /**
   * How this gateway logs ({@code TOLLGATE_LOG_FORMAT}, {@code TOLLGATE_LOG_LEVEL} or their flags).
   *
   * @throws IllegalArgumentException naming the setting when its value is invalid
   */
  public LogSettings log() {
    return LogSettings.from(values::lookup);
  }

  private static Optional<TlsSettings> tls(Settings s) {
    List<Path> dirs = s.list("TOLLGATE_TLS_CERT_DIRS").stream().map(Path::of).toList();
    Optional<Path> bundle = s.optional("TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR").map(Path::of);
    ClientAuthMode clientAuth = s.choice("TOLLGATE_TLS_CLIENT_AUTH", ClientAuthMode.class);
    boolean redirect = s.bool("TOLLGATE_TLS_REDIRECT");
    if (s.optional("TOLLGATE_TLS_CERT_DIRS").isEmpty() && bundle.isEmpty()) {
      // asking for HTTPS behaviour without certificates is a mistake, not a quiet no-op
      if (redirect || clientAuth != ClientAuthMode.OFF) {
        throw new IllegalArgumentException(
            "TOLLGATE_TLS_REDIRECT and TOLLGATE_TLS_CLIENT_AUTH need TOLLGATE_TLS_CERT_DIRS or"
                + " TOLLGATE_TLS_CERTIFICATE_BUNDLE_DIR");
      }
      return Optional.empty();
    }
    return Optional.of(
        new TlsSettings(
            s.port("TOLLGATE_TLS_PORT"),
            dirs,
            bundle,
            s.duration("TOLLGATE_TLS_POLL_INTERVAL"),
            s.list("TOLLGATE_TLS_PROTOCOLS"),
            s.list("TOLLGATE_TLS_CIPHER_SUITES"),
            clientAuth,
            s.optional("TOLLGATE_TLS_CLIENT_CA_FILE").map(Path::of),
            s.duration("TOLLGATE_TLS_HANDSHAKE_TIMEOUT"),
            redirect,
            s.port("TOLLGATE_TLS_REDIRECT_PORT")));
  }

  private static TrustedProxies trustedProxies(String value) {
    try {
      return TrustedProxies.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TOLLGATE_TRUSTED_PROXIES: " + e.getMessage(), e);
    }
  }
}
