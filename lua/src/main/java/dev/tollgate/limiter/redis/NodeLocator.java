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

  /** What is asked, for messages: an address or the sentinels and master name, no credentials. */
  String describe();

  @Override
  void close();

  /** A standalone Redis at {@code uri}. */
  static NodeLocator fixed(RedisURI uri) {
    return new NodeLocator() {
      @Override
      public RedisURI locate() {
        return uri;
      }

      @Override
      public String describe() {
        return uri.getHost() + ":" + uri.getPort();
      }

      @Override
      public void close() {}
    };
  }
}
