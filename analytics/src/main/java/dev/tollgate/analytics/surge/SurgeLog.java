package dev.tollgate.analytics.surge;

import dev.tollgate.analytics.store.BucketKeys;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The recent surge events, newest first, in one capped Redis list shared by all replicas. An event
 * is {@code route|startMillis|perMinute|baselinePerMinute}: route names are Kubernetes names
 * ({@code namespace/name}), which never contain {@code |}.
 */
public final class SurgeLog {
  /** Events kept; older ones are trimmed. */
  static final int CAPACITY = 100;

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final RedisClusterAsyncCommands<String, String> redis;
  private final BucketKeys keys;

  public SurgeLog(RedisClusterAsyncCommands<String, String> redis, BucketKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  void add(Surge surge) {
    String event =
        surge.route()
            + "|"
            + surge.startedAt().toEpochMilli()
            + "|"
            + surge.perMinute()
            + "|"
            + surge.baselinePerMinute();
    redis.lpush(keys.surges(), event);
    get(redis.ltrim(keys.surges(), 0, CAPACITY - 1));
  }

  /**
   * The newest {@code count} events, read asynchronously: a report awaits it with its other reads,
   * under its deadline, so a failure here is answered like any of theirs.
   */
  public CompletableFuture<List<Surge>> recent(int count) {
    return redis
        .lrange(keys.surges(), 0, count - 1L)
        .thenApply(SurgeLog::parse)
        .toCompletableFuture();
  }

  private static List<Surge> parse(List<String> events) {
    List<Surge> surges = new ArrayList<>();
    for (String event : events) {
      String[] parts = event.split("\\|");
      if (parts.length == 4) {
        surges.add(
            new Surge(
                parts[0],
                Instant.ofEpochMilli(Long.parseLong(parts[1])),
                Double.parseDouble(parts[2]),
                Double.parseDouble(parts[3])));
      }
    }
    return surges;
  }

  static <T> T get(java.util.concurrent.Future<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Redis did not answer within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
