package dev.tollgate.analytics.surge;

import dev.tollgate.analytics.metrics.AnalyticsMetrics;
import dev.tollgate.analytics.settings.AnalyticsSettings.SurgeSettings;
import dev.tollgate.analytics.store.BucketKeys;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spots a route whose traffic over the last {@code window} minutes is at least {@code factor} times
 * its rate over the {@code baseline} before that (and at least {@code minPerMinute}). Only complete
 * minutes count. The baseline starts at the first minute with any bucket: a minute before it is not
 * known to have been quiet (a fresh install, analytics just turned on, a Redis restarted without
 * its data), and counted as quiet it made every busy route a surge for the first half hour. Until
 * the baseline so known spans at least the window, nothing is judged. Every replica checks; the
 * shared hash of active surges decides which one reports a start ({@code HSETNX}), so a surge gives
 * one event, one log line and one count, however many replicas run. The gauge {@code
 * tollgate_analytics_surge_active} follows the shared state on each; a route without traffic over
 * the window and the baseline (deleted, or idle) has no surge meters.
 */
public final class SurgeDetector {
  private static final Logger LOG = LoggerFactory.getLogger(SurgeDetector.class);

  private final RedisClusterAsyncCommands<String, String> redis;
  private final BucketKeys keys;
  private final SurgeSettings settings;
  private final SurgeLog log;
  private final AnalyticsMetrics metrics;
  private final Clock clock;

  public SurgeDetector(
      RedisClusterAsyncCommands<String, String> redis,
      BucketKeys keys,
      SurgeSettings settings,
      SurgeLog log,
      AnalyticsMetrics metrics,
      Clock clock) {
    this.redis = redis;
    this.keys = keys;
    this.settings = settings;
    this.log = log;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** One check of every route seen in the window and baseline. */
  public void check() {
    long now = Math.floorDiv(clock.millis(), 60_000L);
    int window = settings.windowMinutes();
    int baseline = settings.baselineMinutes();
    long first = now - window - baseline;
    List<RedisFuture<Map<String, String>>> reads = new ArrayList<>();
    for (long m = first; m < now; m++) {
      reads.add(redis.hgetall(keys.minute(m)));
    }
    Map<String, long[]> perRoute = new HashMap<>(); // [recent, baseline]
    int firstKnown = reads.size();
    for (int i = 0; i < reads.size(); i++) {
      boolean recent = i >= baseline;
      Map<String, String> bucket = SurgeLog.get(reads.get(i));
      if (!bucket.isEmpty()) {
        firstKnown = Math.min(firstKnown, i);
      }
      for (Map.Entry<String, String> field : bucket.entrySet()) {
        if (field.getKey().startsWith("r:")) {
          perRoute.computeIfAbsent(field.getKey().substring(2), r -> new long[2])[recent ? 0 : 1] +=
              Long.parseLong(field.getValue());
        }
      }
    }
    int knownBaseline = Math.max(0, baseline - firstKnown);
    boolean judged = knownBaseline >= Math.min(window, baseline);
    Map<String, String> active = SurgeLog.get(redis.hgetall(keys.activeSurges()));
    for (Map.Entry<String, long[]> route : perRoute.entrySet()) {
      double rate = route.getValue()[0] / (double) window;
      double base = judged ? route.getValue()[1] / (double) knownBaseline : 0;
      boolean surging =
          judged && rate >= settings.minPerMinute() && rate >= settings.factor() * base;
      String name = route.getKey();
      if (surging && !active.containsKey(name)) {
        started(name, rate, base);
      } else if (!surging && active.containsKey(name)) {
        SurgeLog.get(redis.hdel(keys.activeSurges(), name));
        LOG.info("Surge on route {} ended: {} requests/min", name, round(rate));
      }
      metrics.surgeActive(name, surging);
    }
    for (String gone : Set.copyOf(active.keySet())) {
      if (!perRoute.containsKey(gone)) {
        SurgeLog.get(redis.hdel(keys.activeSurges(), gone));
      }
    }
    metrics.keepSurgeMeters(perRoute.keySet());
  }

  private void started(String route, double rate, double base) {
    Instant at = clock.instant();
    boolean first =
        SurgeLog.get(redis.hsetnx(keys.activeSurges(), route, Long.toString(at.toEpochMilli())));
    if (!first) {
      return; // another replica reported it
    }
    log.add(new Surge(route, at, round(rate), round(base)));
    metrics.surgeStarted(route);
    LOG.warn(
        "Surge on route {}: {} requests/min over the last {}, {}x its {} requests/min over the {}"
            + " before",
        route,
        round(rate),
        settings.window(),
        base == 0 ? "∞" : round(rate / base),
        round(base),
        settings.baseline());
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
