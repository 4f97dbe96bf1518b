package dev.tollgate.gateway.access;

import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.redis.RedisTarget;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends batches of access records to the instance's access stream: one script call per batch that
 * runs {@code XADD <stream> MAXLEN ~ <maxLength> * a <record>} for each record, so a batch of
 * hundreds is one command and one round trip, on a connection of its own (only the writer thread
 * uses it).
 *
 * <p>A batch waits at most {@code timeout} for its answer while the next records queue up (and
 * overflow, counted) behind it. Its records are counted as dropped when it could not be sent
 * ({@code redis_unavailable}: no connection, refused at once while disconnected) or its answer did
 * not come in time ({@code timeout}: it may still have been written). Scripts are never replayed
 * after a reconnect ({@link LettuceOptions}), so no batch is written twice. The connection is
 * opened on first use and again after it failed, at most every {@value #RECONNECT_SECONDS} seconds;
 * Lettuce also reconnects by itself.
 */
final class StreamBatchWriter implements RecordQueue.BatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StreamBatchWriter.class);
  private static final int RECONNECT_SECONDS = 2;
  // KEYS[1] = stream; ARGV[1] = MAXLEN (entries, approximate); ARGV[2..] = records (field "a")
  private static final byte[] APPEND =
      ("for i = 2, #ARGV do redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', '"
              + AccessRecord.STREAM_FIELD
              + "', ARGV[i]) end return #ARGV - 1")
          .getBytes(StandardCharsets.UTF_8);

  private final RedisTarget target;
  private final byte[][] stream;
  private final byte[] maxLength;
  private final LettuceOptions options;
  private final Duration timeout;
  private final AccessMetrics metrics;
  private RedisConnection<byte[], byte[]> connection;
  private long nextConnectNanos = System.nanoTime();
  private boolean failing;

  StreamBatchWriter(
      RedisTarget target, String stream, long maxLength, Duration timeout, AccessMetrics metrics) {
    this.target = target;
    this.stream = new byte[][] {stream.getBytes(StandardCharsets.UTF_8)};
    this.maxLength = Long.toString(maxLength).getBytes(StandardCharsets.UTF_8);
    // one batch in flight at a time; a few commands of headroom
    this.options = new LettuceOptions(timeout, 16, Duration.ofSeconds(RECONNECT_SECONDS));
    this.timeout = timeout;
    this.metrics = metrics;
  }

  @Override
  public void write(List<AccessRecord> batch) {
    if (!connected()) {
      metrics.streamDropped(AccessMetrics.UNAVAILABLE, batch.size());
      return;
    }
    byte[][] args = new byte[batch.size() + 1][];
    args[0] = maxLength;
    for (int i = 0; i < batch.size(); i++) {
      args[i + 1] = batch.get(i).toStreamValue().getBytes(StandardCharsets.UTF_8);
    }
    RedisFuture<Long> sent =
        connection.async().eval(APPEND, ScriptOutputType.INTEGER, stream, args);
    try {
      sent.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      metrics.streamWritten(batch.size());
      if (failing) {
        LOG.info("Writing access records to Redis again");
        failing = false;
      }
    } catch (TimeoutException e) {
      metrics.streamDropped(AccessMetrics.TIMEOUT, batch.size());
    } catch (ExecutionException e) {
      metrics.streamDropped(AccessMetrics.UNAVAILABLE, batch.size());
      failed(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      metrics.streamDropped(AccessMetrics.TIMEOUT, batch.size());
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
      connection = RedisConnection.open(target, options, ByteArrayCodec.INSTANCE);
      return true;
    } catch (RedisException e) {
      failed(e);
      nextConnectNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECONNECT_SECONDS);
      return false;
    }
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
    }
  }
}
