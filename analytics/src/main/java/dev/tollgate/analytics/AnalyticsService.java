package dev.tollgate.analytics;

import dev.tollgate.analytics.http.AdminServer;
import dev.tollgate.analytics.ingest.StreamConsumer;
import dev.tollgate.analytics.metrics.AnalyticsMetrics;
import dev.tollgate.analytics.report.Report;
import dev.tollgate.analytics.report.ReportBuilder;
import dev.tollgate.analytics.report.ReportWindow;
import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.analytics.store.AnalyticsRedis;
import dev.tollgate.analytics.store.BucketKeys;
import dev.tollgate.analytics.surge.SurgeDetector;
import dev.tollgate.analytics.surge.SurgeLog;
import dev.tollgate.api.access.AccessStreamKeys;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running analytics replica: the stream consumer, the periodic surge check and stream gauges,
 * and the admin port. Wires only; {@link #close()} stops the consumer after its batch in hand.
 */
public final class AnalyticsService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsService.class);
  private static final Duration SURGE_CHECK = Duration.ofSeconds(30);
  private static final Duration GAUGE_REFRESH = Duration.ofSeconds(15);

  private final AnalyticsRedis redis;
  private final StreamConsumer consumer;
  private final ScheduledExecutorService scheduler;
  private final AdminServer admin;

  private AnalyticsService(
      AnalyticsRedis redis,
      StreamConsumer consumer,
      ScheduledExecutorService scheduler,
      AdminServer admin) {
    this.redis = redis;
    this.consumer = consumer;
    this.scheduler = scheduler;
    this.admin = admin;
  }

  /**
   * Connects to Redis and starts consuming and serving.
   *
   * @throws RedisException when Redis cannot be reached at start (the pod restarts and retries)
   */
  public static AnalyticsService start(AnalyticsSettings settings) {
    AnalyticsMetrics metrics = new AnalyticsMetrics();
    AnalyticsRedis redis = AnalyticsRedis.connect(settings.redis().target());
    String gateway = settings.redis().gatewayName();
    BucketKeys keys = new BucketKeys(new AccessStreamKeys(gateway));
    Clock clock = Clock.systemUTC();
    SurgeLog surgeLog = new SurgeLog(redis.shared(), keys);
    ReportBuilder reports = new ReportBuilder(redis.shared(), keys, gateway, surgeLog, clock);
    SurgeDetector surges =
        new SurgeDetector(redis.shared(), keys, settings.surge(), surgeLog, metrics, clock);
    StreamGauges gauges = new StreamGauges(redis.shared(), keys.stream(), metrics);

    AtomicBoolean redisUp = new AtomicBoolean(true);
    ReportWindow.Parser windows = new ReportWindow.Parser(settings.retention());
    AdminServer admin;
    try {
      // listen first: a replica whose port is taken fails before it consumes anything, and its
      // connections close, so nothing keeps the process running without its port
      admin =
          AdminServer.start(
              settings.bindAddress(),
              settings.adminPort(),
              (ReportWindow w) -> reports.build(w.window(), w.text(), w.route()),
              windows,
              redisUp::get,
              metrics.registry());
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }

    StreamConsumer consumer = new StreamConsumer(redis.consumer(), keys, settings, metrics);
    consumer.start();
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tollgate-analytics-checks").daemon().factory());
    scheduler.scheduleWithFixedDelay(
        guarded("surge check", surges::check), 5, SURGE_CHECK.toSeconds(), TimeUnit.SECONDS);
    scheduler.scheduleWithFixedDelay(
        guarded("stream gauges", () -> redisUp.set(gauges.refresh())),
        0,
        GAUGE_REFRESH.toSeconds(),
        TimeUnit.SECONDS);
    LOG.info(
        "Tollgate analytics reading {} as consumer {}, admin port {}",
        keys.stream(),
        settings.consumer(),
        admin.port());
    return new AnalyticsService(redis, consumer, scheduler, admin);
  }

  /** A report built the way the admin port builds it (for the {@code report} command). */
  static Report report(AnalyticsSettings settings, ReportWindow window) {
    try (AnalyticsRedis redis = AnalyticsRedis.connect(settings.redis().target())) {
      String gateway = settings.redis().gatewayName();
      BucketKeys keys = new BucketKeys(new AccessStreamKeys(gateway));
      return new ReportBuilder(
              redis.shared(), keys, gateway, new SurgeLog(redis.shared(), keys), Clock.systemUTC())
          .build(window.window(), window.text(), window.route());
    }
  }

  /** A scheduled task that throws is never run again: log and keep the schedule. */
  private static Runnable guarded(String name, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("{} failed: {}", name, e.toString());
      }
    };
  }

  public int adminPort() {
    return admin.port();
  }

  @Override
  public void close() {
    admin.close();
    scheduler.shutdownNow();
    consumer.close();
    redis.close();
  }
}
