package dev.tollgate.gateway;

import dev.tollgate.api.common.DurationStrings;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 * @param tls the HTTPS listener ({@code TOLLGATE_TLS_*}); empty = plain HTTP only
 * @param upstreamCaFile PEM bundle HTTPS upstreams' certificates are verified against; empty = the
 *     JVM's default trust store
 * @param http2Limits what one HTTP/2 client connection may ask for (streams, window, resets)
 * @param raw every setting by variable name, for the policy stages' own settings (JWT, limiter)
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
    Map<String, String> raw) {

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
    d.put("TOLLGATE_KEEPALIVE_TIMEOUT", "75s");
    d.put("TOLLGATE_MAX_CONNECTIONS", "10000");
    d.put("TOLLGATE_MAX_REQUESTS_IN_FLIGHT", "2000");
    d.put("TOLLGATE_UNDERSCORE_HEADERS", "drop");
    d.put("TOLLGATE_TLS_PORT", "8443");
    d.put("TOLLGATE_TLS_CERT_DIRS", "");
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
    Map<String, String> values = new HashMap<>(DEFAULTS);
    DEFAULTS
        .keySet()
        .forEach(k -> Optional.ofNullable(env.get(k)).ifPresent(v -> values.put(k, v)));
    values.putAll(flags(args));
    GatewaySettings settings =
        new GatewaySettings(
            values.get("TOLLGATE_BIND_ADDRESS").trim(),
            port(values, "TOLLGATE_PORT"),
            values.get("TOLLGATE_ADMIN_BIND_ADDRESS").trim(),
            port(values, "TOLLGATE_ADMIN_PORT"),
            optional(values, "TOLLGATE_ADMIN_TOKEN_FILE").map(Path::of),
            optional(values, "TOLLGATE_CONFIG_DIR").map(Path::of),
            duration(values, "TOLLGATE_CONFIG_POLL_INTERVAL"),
            RedisSettings.from(values::get),
            trustedProxies(values.get("TOLLGATE_TRUSTED_PROXIES")),
            duration(values, "TOLLGATE_DRAIN_TIMEOUT"),
            duration(values, "TOLLGATE_UPSTREAM_CONNECT_TIMEOUT"),
            positive(values, "TOLLGATE_UPSTREAM_POOL_SIZE"),
            duration(values, "TOLLGATE_UPSTREAM_IDLE_TIMEOUT"),
            positive(values, "TOLLGATE_MAX_HEADER_SIZE"),
            positive(values, "TOLLGATE_MAX_REQUEST_LINE"),
            new ClientLimits(
                duration(values, "TOLLGATE_CLIENT_HEADER_TIMEOUT"),
                duration(values, "TOLLGATE_CLIENT_BODY_TIMEOUT"),
                duration(values, "TOLLGATE_KEEPALIVE_TIMEOUT"),
                positive(values, "TOLLGATE_MAX_CONNECTIONS"),
                positive(values, "TOLLGATE_MAX_REQUESTS_IN_FLIGHT"),
                UnderscoreHeaders.parse(values.get("TOLLGATE_UNDERSCORE_HEADERS"))),
            tls(values),
            optional(values, "TOLLGATE_UPSTREAM_CA_FILE").map(Path::of),
            new Http2Limits(
                integer(values, "TOLLGATE_H2_MAX_CONCURRENT_STREAMS"),
                integer(values, "TOLLGATE_H2_INITIAL_WINDOW_SIZE"),
                integer(values, "TOLLGATE_H2_MAX_RAPID_RESETS")),
            Map.copyOf(values));
    settings.webSockets(); // refused at start, not at the first handshake
    return settings;
  }

  /** Bounds of proxied WebSockets ({@code TOLLGATE_WEBSOCKET_*}). */
  public WebSocketSettings webSockets() {
    return new WebSocketSettings(
        positive(raw, "TOLLGATE_WEBSOCKET_MAX_CONNECTIONS"),
        duration(raw, "TOLLGATE_WEBSOCKET_IDLE_TIMEOUT"),
        duration(raw, "TOLLGATE_WEBSOCKET_MAX_LIFETIME"));
  }

  /**
   * How this gateway logs ({@code TOLLGATE_LOG_FORMAT}, {@code TOLLGATE_LOG_LEVEL} or their flags).
   *
   * @throws IllegalArgumentException naming the setting when its value is invalid
   */
  public LogSettings log() {
    return LogSettings.from(raw::get);
  }

  /** {@code --admin-port=0} → {@code TOLLGATE_ADMIN_PORT=0}. */
  static Map<String, String> flags(String... args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String variable = "TOLLGATE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
      if (!DEFAULTS.containsKey(variable)) {
        throw new IllegalArgumentException("unknown flag --" + name);
      }
      if (eq >= 0) {
        flags.put(variable, arg.substring(eq + 1));
      } else if (i + 1 < args.length) {
        flags.put(variable, args[++i]);
      } else {
        throw new IllegalArgumentException("flag --" + name + " needs a value");
      }
    }
    return flags;
  }

  private static Optional<TlsSettings> tls(Map<String, String> values) {
    Optional<String> dirs = optional(values, "TOLLGATE_TLS_CERT_DIRS");
    ClientAuthMode clientAuth;
    try {
      clientAuth = ClientAuthMode.parse(values.get("TOLLGATE_TLS_CLIENT_AUTH"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TOLLGATE_TLS_CLIENT_AUTH " + e.getMessage(), e);
    }
    boolean redirect = bool(values, "TOLLGATE_TLS_REDIRECT");
    if (dirs.isEmpty()) {
      // asking for HTTPS behaviour without certificates is a mistake, not a quiet no-op
      if (redirect || clientAuth != ClientAuthMode.OFF) {
        throw new IllegalArgumentException(
            "TOLLGATE_TLS_REDIRECT and TOLLGATE_TLS_CLIENT_AUTH need TOLLGATE_TLS_CERT_DIRS");
      }
      return Optional.empty();
    }
    return Optional.of(
        new TlsSettings(
            port(values, "TOLLGATE_TLS_PORT"),
            list(dirs.get()).stream().map(Path::of).toList(),
            duration(values, "TOLLGATE_TLS_POLL_INTERVAL"),
            list(values.get("TOLLGATE_TLS_PROTOCOLS")),
            list(values.get("TOLLGATE_TLS_CIPHER_SUITES")),
            clientAuth,
            optional(values, "TOLLGATE_TLS_CLIENT_CA_FILE").map(Path::of),
            duration(values, "TOLLGATE_TLS_HANDSHAKE_TIMEOUT"),
            redirect,
            port(values, "TOLLGATE_TLS_REDIRECT_PORT")));
  }

  private static List<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  private static boolean bool(Map<String, String> values, String name) {
    String value = values.get(name).trim();
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException(name + " must be true or false, was '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  private static Optional<String> optional(Map<String, String> values, String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static int port(Map<String, String> values, String name) {
    int port = integer(values, name);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
    }
    return port;
  }

  private static int positive(Map<String, String> values, String name) {
    int value = integer(values, name);
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
    return value;
  }

  private static int integer(Map<String, String> values, String name) {
    try {
      return Integer.parseInt(values.get(name).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a number, was '" + values.get(name) + "'");
    }
  }

  private static Duration duration(Map<String, String> values, String name) {
    try {
      return DurationStrings.parse(values.get(name).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private static TrustedProxies trustedProxies(String value) {
    try {
      return TrustedProxies.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TOLLGATE_TRUSTED_PROXIES: " + e.getMessage(), e);
    }
  }
}
