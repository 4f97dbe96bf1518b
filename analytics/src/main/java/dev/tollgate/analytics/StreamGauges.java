package dev.tollgate.analytics;

import dev.tollgate.analytics.metrics.AnalyticsMetrics;
import dev.tollgate.api.access.AccessStreamKeys;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Refreshes the stream gauges ({@code tollgate_analytics_stream_length}, {@code _lag}, {@code
 * _pending}) and {@code tollgate_analytics_redis_up} from {@code XLEN} and {@code XINFO GROUPS}.
 */
final class StreamGauges {
  private final RedisClusterAsyncCommands<String, String> redis;
  private final String stream;
  private final AnalyticsMetrics metrics;

  StreamGauges(
      RedisClusterAsyncCommands<String, String> redis, String stream, AnalyticsMetrics metrics) {
    this.redis = redis;
    this.stream = stream;
    this.metrics = metrics;
  }

  /** True when Redis answered. */
  boolean refresh() {
    try {
      long length = redis.xlen(stream).get(5, TimeUnit.SECONDS);
      long lag = 0;
      long pending = 0;
      // no stream yet (no gateway wrote, the consumer has not created it): nothing to report
      List<Object> groups =
          length == 0 && redis.exists(stream).get(5, TimeUnit.SECONDS) == 0
              ? List.of()
              : redis.xinfoGroups(stream).get(5, TimeUnit.SECONDS);
      for (Object group : groups) {
        List<?> fields = (List<?>) group;
        if (AccessStreamKeys.GROUP.equals(value(fields, "name"))) {
          pending = number(value(fields, "pending"));
          lag = number(value(fields, "lag"));
        }
      }
      metrics.stream(length, lag, pending);
      metrics.redisUp(true);
      return true;
    } catch (ExecutionException | TimeoutException | RedisException e) {
      metrics.redisUp(false);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** XINFO answers a flat list of name, value, name, value, ... */
  private static Object value(List<?> fields, String name) {
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(String.valueOf(fields.get(i)))) {
        return fields.get(i + 1);
      }
    }
    return null;
  }

  /** A number, or 0 for nil (Redis reports no lag after the stream was trimmed past the group). */
  private static long number(Object value) {
    return value instanceof Long n ? n : 0;
  }
}
