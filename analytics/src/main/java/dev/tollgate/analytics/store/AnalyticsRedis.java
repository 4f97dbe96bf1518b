package dev.tollgate.analytics.store;

import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.redis.RedisTarget;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;

/**
 * The analytics service's two connections to the gateways' Redis (standalone, sentinel or cluster,
 * as {@code TOLLGATE_REDIS_URL} says): one for the consumer, whose {@code XREADGROUP ... BLOCK}
 * holds it for up to a second, and one shared by reports, surge checks and gauges. Both with the
 * shared {@link LettuceOptions}: commands fail at once while disconnected and time out after {@link
 * #COMMAND_TIMEOUT}; the consumer then simply retries its batch.
 */
public final class AnalyticsRedis implements AutoCloseable {
  /** Longer than the consumer's one-second block, short enough to notice a hung server. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  // a report sends up to a few thousand reads before it awaits them (a day of minute hashes)
  private static final LettuceOptions OPTIONS =
      new LettuceOptions(COMMAND_TIMEOUT, 50_000, Duration.ofSeconds(2));

  private final RedisConnection<String, String> consumer;
  private final RedisConnection<String, String> shared;

  private AnalyticsRedis(
      RedisConnection<String, String> consumer, RedisConnection<String, String> shared) {
    this.consumer = consumer;
    this.shared = shared;
  }

  /**
   * @throws RedisException when Redis cannot be reached (nothing is left open)
   */
  public static AnalyticsRedis connect(RedisTarget target) {
    RedisConnection<String, String> consumer =
        RedisConnection.open(target, OPTIONS, StringCodec.UTF8);
    try {
      return new AnalyticsRedis(consumer, RedisConnection.open(target, OPTIONS, StringCodec.UTF8));
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  /** The consumer's connection (blocking reads); use from one thread. */
  public RedisClusterCommands<String, String> consumer() {
    return consumer.sync();
  }

  /** The shared connection, pipelined: reports send many reads before awaiting them. */
  public RedisClusterAsyncCommands<String, String> shared() {
    return shared.async();
  }

  @Override
  public void close() {
    consumer.close();
    shared.close();
  }
}
