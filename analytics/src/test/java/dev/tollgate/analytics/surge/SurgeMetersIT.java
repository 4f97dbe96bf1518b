package dev.tollgate.analytics.surge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.analytics.metrics.AnalyticsMetrics;
import dev.tollgate.analytics.settings.AnalyticsSettings.SurgeSettings;
import dev.tollgate.analytics.store.AnalyticsRedis;
import dev.tollgate.analytics.store.BucketKeys;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The surge meters of a route follow its traffic in the minute buckets of a real Redis: a route
 * seen over the window and the baseline has them, one that was deleted (no traffic since) loses
 * them once its last minute leaves the baseline, so a deleted route's series do not stay for good.
 */
class SurgeMetersIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final SurgeSettings SETTINGS =
      new SurgeSettings(3, Duration.ofMinutes(2), Duration.ofMinutes(10), 50);
  private static final long MINUTE = 29_000_000L;

  private final BucketKeys keys = new BucketKeys(new AccessStreamKeys("meters"));
  private final AnalyticsMetrics metrics = new AnalyticsMetrics();

  @Test
  void aRouteWithoutTrafficOverTheWindowAndBaselineHasNoSurgeMeters() {
    try (AnalyticsRedis redis = AnalyticsRedis.connect(RedisTarget.parse(REDIS.uri()));
        RedisClient client = RedisClient.create(REDIS.uri());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      // shop/orders: 10/min, then 300/min over the last two minutes (a surge); shop/old: one
      // minute of traffic, then deleted
      for (long m = MINUTE - 12; m < MINUTE; m++) {
        connection.sync().hset(keys.minute(m), "r:shop/orders", m < MINUTE - 2 ? "10" : "300");
      }
      connection.sync().hset(keys.minute(MINUTE - 12), "r:shop/old", "300");

      check(redis, MINUTE);
      assertThat(surgeSeries())
          .containsOnly("surge.active shop/orders", "surges shop/orders", "surge.active shop/old");

      // shop/old's only minute is now before the baseline; shop/orders still has traffic in it
      check(redis, MINUTE + 1);
      assertThat(surgeSeries()).containsOnly("surge.active shop/orders", "surges shop/orders");
    }
  }

  @Test
  void minutesBeforeTheFirstBucketAreNotTakenForQuietOnes() {
    BucketKeys fresh = new BucketKeys(new AccessStreamKeys("fresh"));
    try (AnalyticsRedis redis = AnalyticsRedis.connect(RedisTarget.parse(REDIS.uri()));
        RedisClient client = RedisClient.create(REDIS.uri());
        StatefulRedisConnection<String, String> connection = client.connect()) {
      // a steady 300/min since data began three minutes ago (a fresh install, a Redis restarted
      // empty): one minute of baseline known, less than the two-minute window
      for (long m = MINUTE - 3; m < MINUTE; m++) {
        connection.sync().hset(fresh.minute(m), "r:shop/steady", "300");
      }
      check(redis, fresh, MINUTE);
      assertThat(connection.sync().hgetall(fresh.activeSurges())).isEmpty();

      // two minutes known at 300/min: the same rate, no surge
      connection.sync().hset(fresh.minute(MINUTE), "r:shop/steady", "300");
      check(redis, fresh, MINUTE + 1);
      assertThat(connection.sync().hgetall(fresh.activeSurges())).isEmpty();

      // a route that was quiet in the known baseline and now takes 300/min is one
      connection.sync().hset(fresh.minute(MINUTE - 1), "r:shop/new", "300");
      connection.sync().hset(fresh.minute(MINUTE), "r:shop/new", "300");
      check(redis, fresh, MINUTE + 1);
      assertThat(connection.sync().hgetall(fresh.activeSurges())).containsOnlyKeys("shop/new");
    }
  }

  private void check(AnalyticsRedis redis, long minute) {
    check(redis, keys, minute);
  }

  private void check(AnalyticsRedis redis, BucketKeys keys, long minute) {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(minute * 60 + 30), ZoneOffset.UTC);
    new SurgeDetector(
            redis.shared(), keys, SETTINGS, new SurgeLog(redis.shared(), keys), metrics, clock)
        .check();
  }

  private List<String> surgeSeries() {
    return metrics.registry().getMeters().stream()
        .filter(meter -> meter.getId().getName().startsWith("tollgate.analytics.surge"))
        .map(
            meter ->
                meter.getId().getName().substring("tollgate.analytics.".length())
                    + " "
                    + meter.getId().getTag("route"))
        .toList();
  }
}
