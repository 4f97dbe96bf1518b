package dev.tollgate.limiter.redis;

import dev.tollgate.redis.LettuceOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Finds a sentinel-monitored master for the limiter's own sockets: each {@link #locate} asks the
 * sentinels of a {@code redis-sentinel://} URL in turn ({@code SENTINEL GET-MASTER-ADDR-BY-NAME})
 * through Lettuce's sentinel connection, contacted as the config connections (Lettuce's
 * master/replica connection) contact them, each within a connect and a command timeout. It is asked
 * for every new socket only: a pooled socket stays where it was opened until it fails, times out or
 * meets {@code READONLY} (a demoted master), and is then closed, so the next one goes to the master
 * the sentinels name by then. No connection to the sentinels is kept between lookups. While new
 * connects wait for their backoff after a failed one, {@link #moved} looks again at most every
 * {@link #RECHECK}, so the promoted master is connected to as soon as the sentinels name it.
 */
final class SentinelMasterLocator implements NodeLocator {
  /** Least time between two lookups of {@link #moved}: ten per second at most, per engine. */
  static final Duration RECHECK = Duration.ofMillis(100);

  private final RedisURI sentinels;
  private final Duration timeout;

  /** One sentinel's share of a lookup: its connect and one command. */
  private final Duration attemptTimeout;

  private final ClientResources resources;
  private final RedisClient client;
  private final AtomicLong nextRecheckNanos = new AtomicLong(System.nanoTime());
  private volatile String located = "";

  /**
   * @param sentinels a parsed {@code redis-sentinel://} URL with the data nodes' credentials
   * @param timeout how long one lookup's command may wait for a sentinel's answer
   */
  SentinelMasterLocator(RedisURI sentinels, LettuceOptions options, Duration timeout) {
    this.sentinels = sentinels;
    this.timeout = timeout;
    this.attemptTimeout = LettuceOptions.CONNECT_TIMEOUT.plus(timeout);
    this.resources = options.resources();
    this.client = RedisClient.create(resources);
    client.setOptions(options.client());
  }

  @Override
  public RedisURI locate() throws IOException {
    RedisURI node = lookUp();
    located = NodeLocator.address(node);
    return node;
  }

  @Override
  public boolean moved() {
    long now = System.nanoTime();
    long next = nextRecheckNanos.get();
    if (now - next < 0 || !nextRecheckNanos.compareAndSet(next, now + RECHECK.toNanos())) {
      return false;
    }
    try {
      return !NodeLocator.address(lookUp()).equals(located);
    } catch (IOException e) {
      return false; // the sentinels cannot say: the backoff stands
    }
  }

  // Every sentinel in the URL's order until one names the master: a sentinel that is down, hangs
  // or does not know the master set costs one attempt, bounded, and the next is asked.
  private RedisURI lookUp() throws IOException {
    String master = sentinels.getSentinelMasterId();
    List<String> failures = new ArrayList<>();
    for (RedisURI sentinel : sentinels.getSentinels()) {
      String where = NodeLocator.address(sentinel);
      try {
        if (ask(sentinel, master) instanceof InetSocketAddress node) {
          return dataNode(node.getHostString(), node.getPort());
        }
        failures.add(where + " knows no master named " + master);
      } catch (IOException e) {
        failures.add(where + ": " + e.getMessage());
      }
    }
    throw new IOException("no sentinel named the master: " + String.join("; ", failures));
  }

  // Lettuce's sentinel connection to one sentinel, as its master/replica connection opens them
  // (credentials and TLS as the URL gives them); its connect waits for the URL's timeout (60 s
  // unless set), so this waits for at most a connect and one command.
  private SocketAddress ask(RedisURI sentinel, String master) throws IOException {
    CompletableFuture<StatefulRedisSentinelConnection<String, String>> connecting =
        client.connectSentinelAsync(StringCodec.UTF8, sentinel);
    StatefulRedisSentinelConnection<String, String> connection;
    try {
      connection = connecting.get(attemptTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      connecting.thenAccept(StatefulConnection::close); // should it open after all
      throw new IOException("no answer within " + attemptTimeout);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while asking the sentinels");
    }
    try (connection) {
      connection.setTimeout(timeout);
      return connection.sync().getMasterAddrByName(master);
    } catch (RedisException e) {
      throw new IOException(e.getMessage(), e);
    }
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
            .map(NodeLocator::address)
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
