package dev.tollgate.gateway.access;

import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.limiter.redis.RedisTarget;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends batches of access records to the instance's access stream: one {@code XADD <stream>
 * MAXLEN ~ <maxLength> * a <record>} per record, all of a batch pipelined in one write on a
 * connection of its own (auto-flush off; only the writer thread uses it), then awaited together.
 *
 * <p>A batch waits at most {@code timeout} for its answers while the next records queue up (and
 * overflow, counted) behind it. Records are counted as dropped when they could not be sent ({@code
 * redis_unavailable}: no connection, commands refused at once) or their answer did not come in time
 * ({@code timeout}: they may still have been written). The connection is opened on first use and
 * again after it failed, at most every {@value #RECONNECT_SECONDS} seconds; Lettuce also reconnects
 * by itself.
 */
final class StreamBatchWriter implements RecordQueue.BatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StreamBatchWriter.class);
  private static final int RECONNECT_SECONDS = 2;
  private static final byte[] FIELD = AccessRecord.STREAM_FIELD.getBytes(StandardCharsets.UTF_8);

  private final String url;
  private final byte[] stream;
  private final XAddArgs trim;
  private final Duration timeout;
  private final AccessMetrics metrics;
  private AbstractRedisClient client;
  private StatefulConnection<byte[], byte[]> connection;
  private RedisClusterAsyncCommands<byte[], byte[]> commands;
  private long nextConnectNanos = System.nanoTime();
  private boolean failing;

  StreamBatchWriter(
      String url, String stream, long maxLength, Duration timeout, AccessMetrics metrics) {
    this.url = url;
    this.stream = stream.getBytes(StandardCharsets.UTF_8);
    this.trim = XAddArgs.Builder.maxlen(maxLength).approximateTrimming();
    this.timeout = timeout;
    this.metrics = metrics;
    RedisTarget.parse(url); // a malformed URL fails at start, naming the variable
  }

  @Override
  public void write(List<AccessRecord> batch) {
    if (!connected()) {
      metrics.streamDropped(AccessMetrics.UNAVAILABLE, batch.size());
      return;
    }
    List<RedisFuture<String>> sent = new ArrayList<>(batch.size());
    for (AccessRecord record : batch) {
      sent.add(
          commands.xadd(
              stream, trim, FIELD, record.toStreamValue().getBytes(StandardCharsets.UTF_8)));
    }
    connection.flushCommands();
    long deadline = System.nanoTime() + timeout.toNanos();
    int written = 0;
    int unavailable = 0;
    int late = 0;
    for (RedisFuture<String> future : sent) {
      try {
        future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        written++;
      } catch (TimeoutException e) {
        late++;
      } catch (ExecutionException e) {
        unavailable++;
        failed(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        late++;
      }
    }
    metrics.streamWritten(written);
    metrics.streamDropped(AccessMetrics.UNAVAILABLE, unavailable);
    metrics.streamDropped(AccessMetrics.TIMEOUT, late);
    if (written > 0 && failing) {
      LOG.info("Writing access records to Redis again");
      failing = false;
    }
  }

  private boolean connected() {
    if (connection != null) {
      return true;
    }
    if (System.nanoTime() - nextConnectNanos < 0) {
      return false;
    }
    try {
      open();
      return true;
    } catch (RedisException e) {
      failed(e);
      nextConnectNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECONNECT_SECONDS);
      return false;
    }
  }

  private void open() {
    RedisTarget target = RedisTarget.parse(url);
    if (target instanceof RedisTarget.Cluster cluster) {
      RedisClusterClient c = RedisClusterClient.create(cluster.seeds());
      c.setOptions(options(ClusterClientOptions.builder()).build());
      opened(
          c,
          () -> {
            StatefulRedisClusterConnection<byte[], byte[]> connected =
                c.connect(ByteArrayCodec.INSTANCE);
            // Node connections open lazily, and while one is opening REJECT_COMMANDS refuses the
            // commands for its slots: every record of the first batches was dropped that way.
            connected
                .getPartitions()
                .forEach(n -> connected.getConnection(n.getUri().getHost(), n.getUri().getPort()));
            return connected;
          });
    } else {
      RedisClient c = RedisClient.create(target.nodes().getFirst());
      c.setOptions(options(ClientOptions.builder()).build());
      opened(c, () -> c.connect(ByteArrayCodec.INSTANCE));
    }
  }

  /** Keeps the connection (auto-flush off) or shuts the client down when connecting failed. */
  private <C extends StatefulConnection<byte[], byte[]>> void opened(
      AbstractRedisClient c, java.util.function.Supplier<C> connect) {
    C connected;
    try {
      connected = connect.get();
    } catch (RedisException e) {
      c.shutdown();
      throw e;
    }
    connected.setAutoFlushCommands(false);
    client = c;
    connection = connected;
    commands =
        connected instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster
            ? cluster.async()
            : ((StatefulRedisConnection<byte[], byte[]>) connected).async();
  }

  private <B extends ClientOptions.Builder> B options(B builder) {
    builder
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .socketOptions(
            SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).keepAlive(true).build());
    return builder;
  }

  private void failed(Throwable cause) {
    if (!failing) {
      LOG.warn(
          "Cannot write access records to Redis; dropping and counting them"
              + " (tollgate_analytics_dropped_total) until it answers: {}",
          String.valueOf(cause));
      failing = true;
    }
  }

  @Override
  public void close() {
    if (connection != null) {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
