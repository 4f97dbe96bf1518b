package dev.tollgate.e2e.system;

import dev.tollgate.api.snapshot.ConfigKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Watches the configuration the way a gateway does: subscribed to {@code tollgate:{<gw>}:config},
 * it notes when each version announcement arrives, then reads the entries to see what they hold.
 */
final class SnapshotWatcher implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisPubSubConnection<String, String> subscription;
  private final StatefulRedisConnection<String, String> reads;
  private final ConfigKeys keys;
  private final BlockingQueue<Long> announcements = new LinkedBlockingQueue<>();

  SnapshotWatcher(String redisUri, String gateway) {
    this.client = RedisClient.create(redisUri);
    this.keys = new ConfigKeys(gateway);
    this.reads = client.connect();
    this.subscription = client.connectPubSub();
    subscription.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, String version) {
            announcements.add(System.nanoTime());
          }
        });
    subscription.sync().subscribe(keys.channel());
  }

  /** Forgets announcements received so far. */
  void reset() {
    announcements.clear();
  }

  /**
   * Waits for the first announced version whose entries (all of them, one after the other) satisfy
   * {@code wanted} and returns when (nanoTime) its announcement arrived.
   */
  long awaitSnapshot(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Long arrived = announcements.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (arrived == null) {
        throw new IllegalStateException("no matching snapshot announced within " + timeout);
      }
      String json = String.join("\n", reads.sync().hvals(keys.entries()));
      if (wanted.test(json)) {
        return arrived;
      }
    }
  }

  @Override
  public void close() {
    subscription.close();
    reads.close();
    client.shutdown();
  }
}
