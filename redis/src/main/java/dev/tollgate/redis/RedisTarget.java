package dev.tollgate.redis;

import io.lettuce.core.RedisURI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What {@code TOLLGATE_REDIS_URL} points at: one Redis ({@code redis://}, {@code rediss://}), a
 * sentinel-monitored master ({@code redis-sentinel://s1:26379,s2:26379,s3:26379/0#mymaster}, as
 * many sentinels as listed), or a cluster given as comma-separated seed nodes ({@code
 * redis://a:6379,redis://b:6379}). A sentinel URL is recognised by its scheme before commas are
 * looked at, so its sentinel list is never read as cluster seeds.
 *
 * <p>Credentials given apart from the URL ({@code TOLLGATE_REDIS_USERNAME}/{@code _PASSWORD}) are
 * set on the parsed {@link RedisURI}s of the data nodes, replacing any in the URL; they are never
 * spliced into URL text, so a password may contain any character.
 */
public sealed interface RedisTarget {
  record Standalone(RedisURI uri) implements RedisTarget {}

  record Sentinel(RedisURI uri) implements RedisTarget {}

  record Cluster(List<RedisURI> seeds) implements RedisTarget {
    public Cluster {
      seeds = List.copyOf(seeds);
    }
  }

  /** The node to connect to, or a cluster's seeds; a sentinel URI names all its sentinels. */
  default List<RedisURI> nodes() {
    return switch (this) {
      case Standalone standalone -> List.of(standalone.uri());
      case Sentinel sentinel -> List.of(sentinel.uri());
      case Cluster cluster -> cluster.seeds();
    };
  }

  /** {@code url} with the credentials it may carry. */
  static RedisTarget parse(String url) {
    return parse(url, Optional.empty(), Optional.empty());
  }

  /**
   * @param password when present, authenticates every data node (with {@code username}, an ACL
   *     user, when that is present too), replacing credentials in the URL
   * @throws IllegalArgumentException naming {@code TOLLGATE_REDIS_URL}, never echoing a password
   */
  static RedisTarget parse(String url, Optional<String> username, Optional<String> password) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("TOLLGATE_REDIS_URL: must not be empty");
    }
    String trimmed = url.strip();
    try {
      if (trimmed.startsWith("redis-sentinel://") || trimmed.startsWith("rediss-sentinel://")) {
        return new Sentinel(authenticated(RedisURI.create(trimmed), username, password));
      }
      if (trimmed.contains(",")) {
        return new Cluster(
            Arrays.stream(trimmed.split(","))
                .map(String::strip)
                .map(node -> authenticated(RedisURI.create(node), username, password))
                .toList());
      }
      if (trimmed.startsWith("redis://") || trimmed.startsWith("rediss://")) {
        return new Standalone(authenticated(RedisURI.create(trimmed), username, password));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "TOLLGATE_REDIS_URL: '"
              + redacted(trimmed)
              + "' is not a valid Redis URL: "
              + redacted(String.valueOf(e.getMessage())),
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

  private static RedisURI authenticated(
      RedisURI uri, Optional<String> username, Optional<String> password) {
    // RedisURI.builder(uri) drops a sentinel URI's sentinels (Lettuce 7.7): set on the parsed one.
    if (password.isPresent()) {
      if (username.isPresent()) {
        uri.setAuthentication(username.get(), password.get().toCharArray());
      } else {
        uri.setAuthentication(password.get().toCharArray());
      }
    }
    return uri;
  }
}
