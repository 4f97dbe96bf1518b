package dev.tollgate.limiter.redis;

import io.lettuce.core.RedisURI;
import java.io.IOException;

/**
 * Where the limiter's own sockets connect ({@link DirectScriptRunner}), asked before each new
 * socket: a standalone Redis is always at its URL's address; a sentinel-monitored master is where
 * the sentinels say it is now ({@link SentinelMasterLocator}), so a socket opened after a failover
 * reaches the promoted master.
 */
interface NodeLocator extends AutoCloseable {
  /**
   * The node to open a socket to, with the URL's credentials, database and TLS settings.
   *
   * @throws IOException when it cannot be found now (no sentinel answers, none knows the master)
   */
  RedisURI locate() throws IOException;

  /**
   * Whether the node has moved since the last {@link #locate}, asked while new connects wait for
   * their backoff after a failed one: a master the sentinels have promoted meanwhile is connected
   * to at once instead of after the backoff. Answers false when nothing can move, and when it was
   * asked less than a moment ago (the implementation bounds how often it looks).
   */
  default boolean moved() {
    return false;
  }

  /** What is asked, for messages: an address or the sentinels and master name, no credentials. */
  String describe();

  @Override
  void close();

  /** {@code host:port} of a node, as messages and comparisons of nodes write it. */
  static String address(RedisURI node) {
    return node.getHost() + ":" + node.getPort();
  }

  /** A standalone Redis at {@code uri}. */
  static NodeLocator fixed(RedisURI uri) {
    return new NodeLocator() {
      @Override
      public RedisURI locate() {
        return uri;
      }

      @Override
      public String describe() {
        return address(uri);
      }

      @Override
      public void close() {}
    };
  }
}
