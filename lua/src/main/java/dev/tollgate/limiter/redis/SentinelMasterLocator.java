package dev.tollgate.limiter.redis;

import dev.tollgate.redis.LettuceOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Finds a sentinel-monitored master for the limiter's own sockets: each {@link #locate} asks the
 * sentinels of a {@code redis-sentinel://} URL ({@code SENTINEL GET-MASTER-ADDR-BY-NAME}) through
 * Lettuce's sentinel connection, which tries every sentinel listed in turn and authenticates to
 * them as Lettuce's master/replica connection does on the other paths. It is asked for every new
 * socket only: a pooled socket stays where it was opened until it fails, times out or meets {@code
 * READONLY} (a demoted master), and is then closed, so the next one goes to the master the
 * sentinels name by then. No connection to the sentinels is kept between lookups.
 */
final class SentinelMasterLocator implements NodeLocator {
  private final RedisURI sentinels;
  private final Duration timeout;
  private final ClientResources resources;
  private final RedisClient client;

  /**
   * @param sentinels a parsed {@code redis-sentinel://} URL with the data nodes' credentials
   * @param timeout how long one lookup's command may wait for a sentinel's answer
   */
  SentinelMasterLocator(RedisURI sentinels, LettuceOptions options, Duration timeout) {
    this.sentinels = sentinels;
    this.timeout = timeout;
    this.resources = options.resources();
    this.client = RedisClient.create(resources);
    client.setOptions(options.client());
  }

  @Override
  public RedisURI locate() throws IOException {
    String master = sentinels.getSentinelMasterId();
    SocketAddress address;
    try (StatefulRedisSentinelConnection<String, String> connection =
        client.connectSentinel(StringCodec.UTF8, sentinels)) {
      connection.setTimeout(timeout);
      address = connection.sync().getMasterAddrByName(master);
    } catch (RedisException e) {
      throw new IOException("asking the sentinels " + describe() + ": " + e.getMessage(), e);
    }
    if (!(address instanceof InetSocketAddress node)) {
      throw new IOException("the sentinels " + describe() + " know no master named " + master);
    }
    return dataNode(node.getHostString(), node.getPort());
  }

  // The master's address with what the URL says for the data nodes (credentials, database, TLS).
  private RedisURI dataNode(String host, int port) {
    RedisURI node = RedisURI.create(host, port);
    node.setCredentialsProvider(sentinels.getCredentialsProvider());
    node.setDatabase(sentinels.getDatabase());
    node.setSsl(sentinels.isSsl());
    node.setVerifyPeer(sentinels.getVerifyMode());
    node.setStartTls(sentinels.isStartTls());
    return node;
  }

  @Override
  public String describe() {
    return sentinels.getSentinels().stream()
            .map(sentinel -> sentinel.getHost() + ":" + sentinel.getPort())
            .collect(Collectors.joining(","))
        + "#"
        + sentinels.getSentinelMasterId();
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
