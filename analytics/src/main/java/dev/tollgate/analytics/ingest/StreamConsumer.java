package dev.tollgate.analytics.ingest;

import dev.tollgate.analytics.metrics.AnalyticsMetrics;
import dev.tollgate.analytics.settings.AnalyticsSettings;
import dev.tollgate.analytics.store.BucketKeys;
import dev.tollgate.api.access.AccessRecord;
import dev.tollgate.api.access.AccessStreamKeys;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's reader of the access stream, in the consumer group {@value AccessStreamKeys#GROUP}:
 * replicas share the entries ({@code XREADGROUP}), and entries a replica took but never applied (it
 * died) are taken over by any replica once they were idle for {@code TOLLGATE_ANALYTICS_CLAIM_IDLE}
 * ({@code XAUTOCLAIM}). Each batch is applied and acknowledged in one script ({@code
 * apply-batch.lua}) that first checks the entries are still this consumer's, so a restart loses
 * nothing and nothing is counted twice. With each claim round, consumers idle for {@link
 * #CONSUMER_GONE_AFTER} that hold no entry leave the group ({@link GoneConsumers}).
 *
 * <p>Runs on one platform thread. When Redis fails, the loop goes on after a second; the failed
 * batch stays pending with this consumer (a read of new entries does not return it) and is taken
 * over, by this replica or another, once idle for the claim time: counted late, never dropped.
 */
public final class StreamConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);
  private static final Duration BLOCK = Duration.ofSeconds(1);
  private static final Duration RETRY = Duration.ofSeconds(1);

  /**
   * How long a consumer must have been idle to count as gone. A live one reads every second; the
   * hour keeps a replica that was away for a while visible in {@code XINFO CONSUMERS}.
   */
  static final Duration CONSUMER_GONE_AFTER = Duration.ofHours(1);

  private final RedisClusterCommands<String, String> redis;
  private final BucketKeys keys;
  private final AnalyticsSettings settings;
  private final AnalyticsMetrics metrics;
  private final Consumer<String> me;
  private final Thread thread;
  private final ApplyScript script;
  private final GoneConsumers goneConsumers;
  private volatile boolean running = true;
  private boolean groupReady;
  private boolean failing;
  private boolean forgetFailing;
  private long nextClaimNanos;

  public StreamConsumer(
      RedisClusterCommands<String, String> redis,
      BucketKeys keys,
      AnalyticsSettings settings,
      AnalyticsMetrics metrics) {
    this.redis = redis;
    this.keys = keys;
    this.settings = settings;
    this.metrics = metrics;
    this.me = Consumer.from(AccessStreamKeys.GROUP, settings.consumer());
    this.script = new ApplyScript(redis);
    this.goneConsumers = new GoneConsumers(redis, keys.stream());
    this.thread = Thread.ofPlatform().name("tollgate-analytics-consumer").unstarted(this::run);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    while (running) {
      try {
        if (!groupReady) {
          ensureGroup();
          groupReady = true;
        }
        if (System.nanoTime() - nextClaimNanos >= 0) {
          claimIdle();
          forgetGoneConsumers();
          nextClaimNanos = System.nanoTime() + claimInterval().toNanos();
        }
        List<StreamMessage<String, String>> batch =
            redis.xreadgroup(
                me,
                XReadArgs.Builder.count(settings.batchSize()).block(BLOCK),
                StreamOffset.lastConsumed(keys.stream()));
        if (batch != null && !batch.isEmpty()) {
          process(batch);
        }
        recovered();
      } catch (RedisException e) {
        failed(e);
      } catch (RuntimeException e) {
        metrics.batchFailed();
        LOG.error("Access stream batch failed; its entries stay pending and are retried", e);
        pause();
      }
    }
  }

  /** Creates the group at the stream's start (and the stream); a second replica finds it there. */
  private void ensureGroup() {
    try {
      redis.xgroupCreate(
          StreamOffset.from(keys.stream(), "0"),
          AccessStreamKeys.GROUP,
          XGroupCreateArgs.Builder.mkstream());
      LOG.info("Created consumer group {} on {}", AccessStreamKeys.GROUP, keys.stream());
    } catch (RedisBusyException e) {
      // BUSYGROUP: it exists already
    }
  }

  /** Half the claim time, so an entry waits at most 1.5× that after its consumer died. */
  private Duration claimInterval() {
    return settings.claimIdle().dividedBy(2);
  }

  private void claimIdle() {
    String cursor = "0-0";
    // bounded: at most 100 batches per round; the rest waits for the next round
    for (int round = 0; round < 100; round++) {
      ClaimedMessages<String, String> claimed =
          redis.xautoclaim(
              keys.stream(),
              XAutoClaimArgs.Builder.xautoclaim(me, settings.claimIdle(), cursor)
                  .count(settings.batchSize()));
      List<StreamMessage<String, String>> messages = claimed.getMessages();
      if (!messages.isEmpty()) {
        metrics.claimed(messages.size());
        LOG.info("Took over {} idle entries of the access stream", messages.size());
        process(messages);
      }
      cursor = claimed.getId();
      if (cursor == null || cursor.equals("0-0")) {
        return;
      }
    }
  }

  /**
   * Housekeeping only, so a failure stops nothing else: an external Redis whose analytics user was
   * set up before this needed {@code XINFO CONSUMERS} and {@code XGROUP DELCONSUMER} refuses it,
   * and the ingest must go on (warned once per failing streak).
   */
  private void forgetGoneConsumers() {
    try {
      List<String> removed = goneConsumers.forget(CONSUMER_GONE_AFTER);
      if (!removed.isEmpty()) {
        LOG.info("Removed {} consumers gone from the access stream's group", removed.size());
      }
      forgetFailing = false;
    } catch (RedisException e) {
      if (!forgetFailing) {
        LOG.warn("Cannot remove gone consumers from the access stream's group: {}", e.toString());
        forgetFailing = true;
      }
    }
  }

  /**
   * Applies the batch; entries another consumer claimed meanwhile are left to it, and the rest is
   * applied on its own (all-or-nothing per call).
   */
  void process(List<StreamMessage<String, String>> messages) {
    long start = System.nanoTime();
    List<String> ids = new ArrayList<>(messages.size());
    List<AccessRecord> records = new ArrayList<>(messages.size());
    int malformed = 0;
    for (StreamMessage<String, String> message : messages) {
      ids.add(message.getId());
      AccessRecord record = read(message, System.currentTimeMillis());
      records.add(record);
      malformed += record == null ? 1 : 0;
    }
    while (!ids.isEmpty()) {
      BatchAggregate aggregate = new BatchAggregate(keys, settings.retention());
      records.forEach(
          record -> {
            if (record != null) {
              aggregate.add(record);
            }
          });
      List<String> notMine =
          script.apply(
              aggregate.arguments(
                  keys.stream(),
                  AccessStreamKeys.GROUP,
                  settings.consumer(),
                  settings.maxPaths(),
                  settings.topClients(),
                  ids));
      if (notMine.isEmpty()) {
        metrics.applied(ids.size() - malformed, Duration.ofNanos(System.nanoTime() - start));
        metrics.malformed(malformed);
        return;
      }
      metrics.yielded(notMine.size());
      Set<String> gone = new HashSet<>(notMine);
      List<String> keptIds = new ArrayList<>(ids.size());
      List<AccessRecord> keptRecords = new ArrayList<>(ids.size());
      malformed = 0;
      for (int i = 0; i < ids.size(); i++) {
        if (!gone.contains(ids.get(i))) {
          keptIds.add(ids.get(i));
          keptRecords.add(records.get(i));
          malformed += records.get(i) == null ? 1 : 0;
        }
      }
      ids = keptIds;
      records = keptRecords;
    }
  }

  /**
   * The record, or null for an entry that is not one or that no bucket can hold (counted,
   * acknowledged, skipped).
   */
  private AccessRecord read(StreamMessage<String, String> message, long nowMillis) {
    if (message.getBody() == null) {
      return null;
    }
    try {
      AccessRecord record = AccessRecord.fromStreamFields(message.getBody());
      if (tooFarAhead(record, nowMillis)) {
        LOG.debug(
            "Skipping access entry {} timed {} ms ahead of this clock",
            message.getId(),
            record.timeMillis() - nowMillis);
        return null;
      }
      return record;
    } catch (IllegalArgumentException e) {
      LOG.debug("Skipping malformed access entry {}: {}", message.getId(), e.getMessage());
      return null;
    }
  }

  /**
   * Whether the record's time is more than the retention ahead of this clock. Its buckets would
   * outlive the retention (a record a year ahead keeps its keys for a year), and at the extreme
   * Redis refuses their {@code EXPIREAT}: the script then fails after its increments (a script is
   * not rolled back), the batch stays pending, and every retry counts the whole batch again. Time
   * in the past needs no rule: a bucket whose expiry has passed is simply deleted.
   */
  private boolean tooFarAhead(AccessRecord record, long nowMillis) {
    // compared this way round, no time overflows
    return record.timeMillis() > nowMillis + settings.retention().toMillis();
  }

  private void failed(RedisException e) {
    metrics.batchFailed();
    if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
      groupReady = false; // the stream was deleted (Redis lost its data): create the group again
    }
    if (!failing) {
      LOG.warn("Reading the access stream failed, retrying every {}: {}", RETRY, e.toString());
      failing = true;
    }
    pause();
  }

  private void recovered() {
    if (failing) {
      LOG.info("Reading the access stream again");
      failing = false;
    }
  }

  private void pause() {
    try {
      Thread.sleep(RETRY);
    } catch (InterruptedException e) {
      running = false;
    }
  }

  /** Stops after the batch in hand (applied or left pending), waiting up to the block time + 5s. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(BLOCK.plusSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
