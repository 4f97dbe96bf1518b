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
        return new Sentinel(node(trimmed, username, password));
      }
      if (trimmed.contains(",")) {
        return new Cluster(
            Arrays.stream(trimmed.split(","))
                .map(String::strip)
                .map(node -> node(node, username, password))
                .toList());
      }
      if (trimmed.startsWith("redis://") || trimmed.startsWith("rediss://")) {
        return new Standalone(node(trimmed, username, password));
      }
    } catch (IllegalArgumentException e) {
      // Lettuce's reason may quote the piece of the URL it stumbled on, a piece of the password
      // when that holds an unencoded reserved character: not echoed for a URL with credentials.
      throw new IllegalArgumentException(
          "TOLLGATE_REDIS_URL: '"
              + redacted(trimmed)
              + "' is not a valid Redis URL: "
              + (trimmed.contains("@") ? notANode() : e.getMessage()),
          e);
    }
    throw new IllegalArgumentException(
        "TOLLGATE_REDIS_URL: '"
            + redacted(trimmed)
            + "' must start with redis://, rediss:// or redis-sentinel://, or list cluster"
            + " nodes separated by commas");
  }

  /**
   * The URL without credentials, for messages: everything from {@code //} to the last {@code @}
   * goes, so that no piece of a password holding an unencoded {@code @}, {@code /} or {@code ,} is
   * left.
   */
  static String redacted(String url) {
    return url.replaceAll("(?s)//.*@", "//***@");
  }

  /**
   * One URL as Lettuce reads it, refused where Lettuce's lenient reading would take part of an
   * unencoded password for the host, the port or the master's name (and then connect elsewhere,
   * naming that "host" in its logs), or an invalid port for part of the host.
   */
  private static RedisURI node(String url, Optional<String> username, Optional<String> password) {
    if (!credentialsEncoded(url)) {
      throw new IllegalArgumentException(notANode());
    }
    RedisURI uri = RedisURI.create(url);
    List<RedisURI> hosts = uri.getSentinels().isEmpty() ? List.of(uri) : uri.getSentinels();
    if (!hosts.stream().allMatch(host -> validHost(host.getHost()))) {
      throw new IllegalArgumentException(notANode());
    }
    return authenticated(uri, username, password);
  }

  /** Whether credentials in {@code url} end at its only {@code @}, before any {@code /?#}. */
  private static boolean credentialsEncoded(String url) {
    int scheme = url.indexOf("://");
    String afterScheme = scheme < 0 ? url : url.substring(scheme + "://".length());
    int at = afterScheme.indexOf('@');
    return at == afterScheme.lastIndexOf('@')
        && afterScheme.substring(0, Math.max(at, 0)).chars().noneMatch(c -> "/?#".indexOf(c) >= 0);
  }

  /** A name or IPv4 address without a port, or an IPv6 address in brackets. */
  private static boolean validHost(String host) {
    return host != null
        && !host.isBlank()
        && (host.startsWith("[") ? host.endsWith("]") : host.indexOf(':') < 0);
  }

  private static String notANode() {
    return "it names no host:port, or its password holds an unencoded reserved character (write"
        + " @ / ? # , as %40 %2F %3F %23 %2C, or set the password in TOLLGATE_REDIS_PASSWORD)";
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
