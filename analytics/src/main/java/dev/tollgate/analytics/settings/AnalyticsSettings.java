package dev.tollgate.analytics.settings;

import dev.tollgate.api.common.Settings;
import dev.tollgate.logging.LogSettings;
import dev.tollgate.redis.RedisSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything the analytics service reads from its environment: each setting is a variable {@code
 * TOLLGATE_X} and a flag {@code --x=value} (a flag wins). Defaults and meaning: {@link #DEFAULTS}
 * and docs/observability.md.
 *
 * @param redis the Redis the gateways write their access stream to and the instance {@code <gw>}
 *     whose stream is read ({@code TOLLGATE_REDIS_*}, {@code TOLLGATE_GATEWAY_NAME}, read as the
 *     gateways read them)
 * @param bindAddress address of the admin port
 * @param adminPort the only port: reports, metrics, health; 0 = pick a free one
 * @param consumer this replica's name in the consumer group (unique per replica)
 * @param retention how long minute buckets are kept; also the longest report window
 * @param batchSize stream entries read and applied per batch
 * @param claimIdle entries pending this long with another consumer are taken over (it died)
 * @param maxPaths distinct normalized paths counted per route and minute; more go to {@code
 *     (other)}
 * @param topClients limited clients kept per minute (a bounded top-K)
 * @param surge when a route's traffic counts as a surge
 * @param log how the service logs ({@code TOLLGATE_LOG_FORMAT}, {@code TOLLGATE_LOG_LEVEL})
 */
public record AnalyticsSettings(
    RedisSettings redis,
    String bindAddress,
    int adminPort,
    String consumer,
    Duration retention,
    int batchSize,
    Duration claimIdle,
    int maxPaths,
    int topClients,
    SurgeSettings surge,
    LogSettings log) {

  /**
   * @param factor a route surges when its rate over {@code window} is at least this many times its
   *     rate over the {@code baseline} before it
   * @param window the recent stretch compared
   * @param baseline the stretch before it that sets the normal rate
   * @param minPerMinute below this many requests per minute in {@code window}, nothing is a surge
   */
  public record SurgeSettings(
      double factor, Duration window, Duration baseline, long minPerMinute) {
    /** The window in whole minutes, as the check reads it: at least one. */
    public int windowMinutes() {
      return (int) Math.max(1, window.toMinutes());
    }

    /** The baseline in whole minutes, as the check reads it: at least one. */
    public int baselineMinutes() {
      return (int) Math.max(1, baseline.toMinutes());
    }
  }

  /** Variable → default; an empty default is "unset". */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("TOLLGATE_REDIS_URL", "");
    d.put("TOLLGATE_REDIS_USERNAME", "");
    d.put("TOLLGATE_REDIS_PASSWORD", "");
    d.put("TOLLGATE_GATEWAY_NAME", "default");
    d.put("TOLLGATE_BIND_ADDRESS", "0.0.0.0");
    d.put("TOLLGATE_ADMIN_PORT", "9090");
    d.put("TOLLGATE_ANALYTICS_CONSUMER", "");
    d.put("TOLLGATE_ANALYTICS_RETENTION", "24h");
    d.put("TOLLGATE_ANALYTICS_BATCH_SIZE", "500");
    d.put("TOLLGATE_ANALYTICS_CLAIM_IDLE", "30s");
    d.put("TOLLGATE_ANALYTICS_MAX_PATHS", "100");
    d.put("TOLLGATE_ANALYTICS_TOP_CLIENTS", "100");
    d.put("TOLLGATE_ANALYTICS_SURGE_FACTOR", "3");
    d.put("TOLLGATE_ANALYTICS_SURGE_WINDOW", "5m");
    d.put("TOLLGATE_ANALYTICS_SURGE_BASELINE", "1h");
    d.put("TOLLGATE_ANALYTICS_SURGE_MIN_RATE", "60");
    d.put(LogSettings.FORMAT, "text");
    d.put(LogSettings.LEVEL, "info");
    return Map.copyOf(d);
  }

  /**
   * The longest retention. The minute buckets share Redis with the limiter, and memory grows with
   * the retention (tens of MB a day for a busy instance, see docs/observability.md): a month of
   * them could fill the memory the limits need. Longer history belongs in a metrics store.
   */
  static final Duration MAX_RETENTION = Duration.ofDays(7);

  /**
   * @param env the process environment ({@code HOSTNAME} names the consumer when {@code
   *     TOLLGATE_ANALYTICS_CONSUMER} is unset)
   * @param flags {@code --name=value} or {@code --name value} pairs
   * @throws IllegalArgumentException naming the setting and the bad value
   */
  public static AnalyticsSettings from(Map<String, String> env, List<String> flags) {
    Settings read = Settings.read(DEFAULTS, env, flags);
    String consumer =
        read.optional("TOLLGATE_ANALYTICS_CONSUMER")
            .or(() -> Optional.ofNullable(env.get("HOSTNAME")).filter(h -> !h.isBlank()))
            .orElseGet(() -> "analytics-" + UUID.randomUUID().toString().substring(0, 8));
    Duration retention = read.duration("TOLLGATE_ANALYTICS_RETENTION");
    if (retention.compareTo(MAX_RETENTION) > 0) {
      throw new IllegalArgumentException(
          "TOLLGATE_ANALYTICS_RETENTION must be at most "
              + MAX_RETENTION.toHours()
              + "h, was '"
              + read.get("TOLLGATE_ANALYTICS_RETENTION")
              + "': the minute buckets live in the limiter's Redis");
    }
    SurgeSettings surge =
        new SurgeSettings(
            read.decimal("TOLLGATE_ANALYTICS_SURGE_FACTOR", 1, Double.MAX_VALUE),
            read.duration("TOLLGATE_ANALYTICS_SURGE_WINDOW"),
            read.duration("TOLLGATE_ANALYTICS_SURGE_BASELINE"),
            read.number("TOLLGATE_ANALYTICS_SURGE_MIN_RATE", 0, Integer.MAX_VALUE));
    // the check reads the window and the baseline from minute buckets: past the retention they
    // are gone, read as no traffic, and steady traffic would count as a surge
    long surgeMinutes = (long) surge.windowMinutes() + surge.baselineMinutes();
    if (Duration.ofMinutes(surgeMinutes).compareTo(retention) > 0) {
      throw new IllegalArgumentException(
          "TOLLGATE_ANALYTICS_SURGE_WINDOW + TOLLGATE_ANALYTICS_SURGE_BASELINE ("
              + surgeMinutes
              + " minutes) must not exceed TOLLGATE_ANALYTICS_RETENTION ("
              + retention.toMinutes()
              + " minutes): the surge check reads them from the minute buckets");
    }
    return new AnalyticsSettings(
        RedisSettings.from(read::lookup)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "TOLLGATE_REDIS_URL must be set: the Redis the gateways write to")),
        read.get("TOLLGATE_BIND_ADDRESS"),
        read.port("TOLLGATE_ADMIN_PORT"),
        consumer,
        retention,
        read.integer("TOLLGATE_ANALYTICS_BATCH_SIZE", 1, 10_000),
        // below a second replicas take each other's batches in flight; past an hour a dead
        // replica's entries wait that long to be counted
        read.duration("TOLLGATE_ANALYTICS_CLAIM_IDLE", "1s", "1h"),
        read.integer("TOLLGATE_ANALYTICS_MAX_PATHS", 1, 10_000),
        read.integer("TOLLGATE_ANALYTICS_TOP_CLIENTS", 1, 10_000),
        surge,
        LogSettings.from(read::lookup));
  }
}
