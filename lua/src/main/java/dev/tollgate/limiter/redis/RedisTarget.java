package dev.tollgate.limiter.redis;

import io.lettuce.core.RedisURI;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code TOLLGATE_REDIS_URL} points at: one Redis ({@code redis://}, {@code rediss://}), a
 * sentinel-monitored master ({@code redis-sentinel://host:26379,host2:26379/0#mymaster}), or a
 * cluster given as comma-separated seed nodes ({@code redis://a:6379,redis://b:6379}). The one
 * reading of that variable: the limiter and the gateway's config source both use it.
 */
public sealed interface RedisTarget {
  record Standalone(RedisURI uri) implements RedisTarget {}

  record Sentinel(RedisURI uri) implements RedisTarget {}

  record Cluster(List<RedisURI> seeds) implements RedisTarget {}

  /** The node to connect to, or a cluster's seeds; a sentinel URI names all its sentinels. */
  default List<RedisURI> nodes() {
    return switch (this) {
      case Standalone standalone -> List.of(standalone.uri());
      case Sentinel sentinel -> List.of(sentinel.uri());
      case Cluster cluster -> cluster.seeds();
    };
  }

  static RedisTarget parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("TOLLGATE_REDIS_URL: must not be empty");
    }
    String trimmed = url.strip();
    try {
      if (trimmed.startsWith("redis-sentinel://") || trimmed.startsWith("rediss-sentinel://")) {
        return new Sentinel(RedisURI.create(trimmed));
      }
      if (trimmed.contains(",")) {
        return new Cluster(
            Arrays.stream(trimmed.split(",")).map(String::strip).map(RedisURI::create).toList());
      }
      if (trimmed.startsWith("redis://") || trimmed.startsWith("rediss://")) {
        return new Standalone(RedisURI.create(trimmed));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "TOLLGATE_REDIS_URL: '"
              + redacted(trimmed)
              + "' is not a valid Redis URL: "
              + e.getMessage(),
          e);
    }
    throw new IllegalArgumentException(
        "TOLLGATE_REDIS_URL: '"
            + redacted(trimmed)
            + "' must start with redis://, rediss:// or redis-sentinel://, or list cluster"
            + " nodes separated by commas");
  }

  /** The URL without credentials, for messages. */
  static String redacted(String url) {
    return url.replaceAll("//[^@/,]*@", "//***@");
  }
}
