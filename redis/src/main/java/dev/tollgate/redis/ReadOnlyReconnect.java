package dev.tollgate.redis;

import io.lettuce.core.Delegating;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.protocol.DefaultEndpoint;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconnects a standalone connection whose Redis answers {@code READONLY}: that node became a
 * replica while the address stayed, as after a failover behind a Service or a DNS name (a managed
 * Redis's primary endpoint), which moves new connections only. Lettuce keeps such a connection, so
 * every write would fail until it broke; closing its channel lets Lettuce's reconnect (with its
 * backoff) reach the node the address names now. At most one close per second, however many
 * commands fail at once. Sentinel and Cluster connections follow failovers themselves.
 */
public final class ReadOnlyReconnect implements CommandListener {
  private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyReconnect.class);
  private static final long MIN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String node;
  private final AtomicLong lastCloseNanos = new AtomicLong(System.nanoTime() - MIN_INTERVAL_NANOS);
  private volatile RedisChannelHandler<?, ?> connection;

  ReadOnlyReconnect(String node) {
    this.node = node;
  }

  /**
   * Whether a Redis error reply says the node is a read-only replica: {@code READONLY ...}, or
   * inside the error of a script that failed on it (Redis 6 wraps it as {@code ... -READONLY ...}).
   */
  public static boolean readOnly(String errorMessage) {
    return errorMessage != null
        && (errorMessage.startsWith("READONLY") || errorMessage.contains("-READONLY"));
  }

  /** The connection to close; commands of other connections of the same client are not watched. */
  void watch(RedisChannelHandler<?, ?> watched) {
    this.connection = watched;
  }

  @Override
  public void commandFailed(CommandFailedEvent event) {
    RedisChannelHandler<?, ?> watched = connection;
    Throwable cause = event.getCause();
    if (watched == null || cause == null || !readOnly(cause.getMessage())) {
      return;
    }
    long last = lastCloseNanos.get();
    long now = System.nanoTime();
    if (now - last < MIN_INTERVAL_NANOS || !lastCloseNanos.compareAndSet(last, now)) {
      return;
    }
    RedisChannelWriter writer = watched.getChannelWriter();
    Object endpoint = writer instanceof Delegating<?> wrapped ? wrapped.unwrap() : writer;
    if (endpoint instanceof DefaultEndpoint open) {
      LOG.warn("Redis at {} is a read-only replica now; reconnecting", node);
      open.disconnect(); // Lettuce sees the channel close and reconnects
    }
  }
}
