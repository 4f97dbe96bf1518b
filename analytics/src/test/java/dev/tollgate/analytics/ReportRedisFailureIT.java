package dev.tollgate.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.analytics.http.AdminServer;
import dev.tollgate.analytics.report.ReportBuilder;
import dev.tollgate.analytics.report.ReportWindow;
import dev.tollgate.analytics.store.AnalyticsRedis;
import dev.tollgate.analytics.store.BucketKeys;
import dev.tollgate.analytics.surge.SurgeLog;
import dev.tollgate.api.access.AccessStreamKeys;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.testkit.LoopbackHttp;
import dev.tollgate.testkit.redis.RedisServer;
import dev.tollgate.testkit.redis.RedisServerExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reports over the admin port while a real {@code redis-server} stops answering. */
class ReportRedisFailureIT {
  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  /**
   * The buckets answer but the surge log does not (Redis froze after the bucket reads): the report
   * is unavailable like any other whose reads fail, not an internal error. The surge log is read
   * from a second server here only to freeze Redis at exactly that read.
   */
  @Test
  void aSurgeLogThatDoesNotAnswerIsAnUnavailableStore() {
    BucketKeys keys = new BucketKeys(new AccessStreamKeys("edge"));
    try (RedisServer surgeServer = RedisServer.start();
        AnalyticsRedis buckets = AnalyticsRedis.connect(RedisTarget.parse(REDIS.uri()));
        AnalyticsRedis surges = AnalyticsRedis.connect(RedisTarget.parse(surgeServer.uri()))) {
      ReportBuilder reports =
          new ReportBuilder(
              buckets.shared(),
              keys,
              "edge",
              new SurgeLog(surges.shared(), keys),
              Clock.systemUTC());
      try (AdminServer admin =
          AdminServer.start(
              "127.0.0.1",
              0,
              w -> reports.build(w.window(), w.text(), w.route()),
              new ReportWindow.Parser(Duration.ofHours(24)),
              () -> true,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
        surgeServer.pause();

        HttpResponse<String> response =
            LoopbackHttp.get(admin.port(), "/analytics/report?window=1h");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");
        assertThat(response.body()).contains("urn:tollgate:problem:redis-unavailable");
      }
    }
  }
}
