package dev.tollgate.gateway.config;

import dev.tollgate.api.snapshot.ConfigKeys;
import dev.tollgate.api.snapshot.ConfigScripts;
import dev.tollgate.redis.LettuceOptions;
import dev.tollgate.redis.RedisConnection;
import dev.tollgate.redis.RedisSettings;
import dev.tollgate.redis.RedisTarget;
import dev.tollgate.rules.RejectionReport;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's configuration in Redis (the {@code tollgate:{<gw>}:config:*} keys of {@link
 * ConfigKeys}), kept current three ways: read at start, re-read on every message on the channel
 * {@code tollgate:{<gw>}:config}, and re-read when a poll of the version (and lineage) shows one
 * this source does not hold: pub/sub delivers at most once, so a message sent while the connection
 * was down (a Redis restart, a network blip) is lost and only the poll notices the change.
 *
 * <p>A quiet system costs one MGET per poll. A newer version is read with {@link
 * ConfigScripts#READ_CONFIG}: only the entries changed since the version held ({@link HeldConfig}),
 * or all of them after a gap. The result goes to the {@link ConfigSink} (the same rulebook and
 * compiler as the directory source), which leaves out only the resources it cannot serve and serves
 * the rest. Only a configuration that cannot be read at all is refused whole; it is remembered by
 * version and not read again, so one bad write counts once in {@code
 * tollgate_config_reloads_total{result="failure"}} while the last good configuration keeps serving.
 * A version below the one served is never applied.
 *
 * <p>All Redis work happens on one worker thread, never on the request path. If Redis is down at
 * start, the gateway starts without configuration (not ready) and the worker keeps connecting; once
 * connected, Lettuce reconnects by itself. A Redis that lost its data (version key gone) does not
 * unload anything: the gateway keeps serving, reports what it serves, and loads the operator's next
 * write.
 */
public final class RedisConfigSource implements ConfigSource {
  private static final Logger LOG = LoggerFactory.getLogger(RedisConfigSource.class);

  /**
   * The config source's own connections, apart from the limiter's: 2 s per command, so a poll never
   * returns a stale answer long after it was asked.
   */
  private static final LettuceOptions CONNECTION = LettuceOptions.control();

  /** Longest {@link #start} waits for the first load: a connect plus two commands. */
  private static final Duration FIRST_LOAD_WAIT = CONNECTION.commandTimeout().multipliedBy(4);

  private final RedisTarget target;
  private final ConfigKeys keys;
  private final Duration pollInterval;
  private final HeldConfig held;
  private final AppliedVersionReporter reporter;
  private final LiveGatewayCount liveGateways;
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-config-redis").daemon().factory());

  /** Whether a check woken by a message is waiting on the worker (see {@link #wake}). */
  private final AtomicBoolean checkQueued = new AtomicBoolean();

  // Owned by the worker thread.
  private ConfigSink sink;
  private RedisConnection<String, String> connection;
  private String refusedVersion;
  private long olderSeen;
  private boolean unavailable;
  private boolean readOnlyScripts = true;
  private boolean waitingForSnapshot;

  /**
   * @param redis where the snapshot is and whose it is ({@code <gw>} in the keys)
   * @param podId this pod's field in the applied-version hash (see {@link #podId})
   * @param pollInterval how often the version key is compared
   */
  public RedisConfigSource(RedisSettings redis, String podId, Duration pollInterval) {
    this.target = redis.target();
    this.keys = redis.keys();
    this.pollInterval = pollInterval;
    this.held = new HeldConfig(description());
    this.reporter = new AppliedVersionReporter(keys, podId);
    this.liveGateways = new LiveGatewayCount(keys);
  }

  /**
   * The pod id for the applied-version report: {@code HOSTNAME}, which Kubernetes sets to the pod
   * name, or a random id outside Kubernetes so two local gateways never share a key.
   */
  public static String podId(Map<String, String> env) {
    String hostname = env.get("HOSTNAME");
    return hostname == null || hostname.isBlank()
        ? "gateway-" + UUID.randomUUID().toString().substring(0, 8)
        : hostname.strip();
  }

  /**
   * Loads the snapshot if Redis has one (waiting at most a few seconds, so a gateway with Redis up
   * starts ready), then keeps watching in the background.
   */
  @Override
  public void start(ConfigSink sink) {
    Future<?> first =
        worker.submit(
            () -> {
              this.sink = sink;
              check();
            });
    long pollMillis = pollInterval.toMillis();
    worker.scheduleWithFixedDelay(this::check, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    long refreshMillis = AppliedVersionReporter.REFRESH_INTERVAL.toMillis();
    worker.scheduleWithFixedDelay(
        this::refreshAppliedVersion, refreshMillis, refreshMillis, TimeUnit.MILLISECONDS);
    try {
      first.get(FIRST_LOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Redis did not answer in {}; starting unready", FIRST_LOAD_WAIT);
    } catch (ExecutionException e) {
      LOG.warn("First configuration load failed; starting unready", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String description() {
    return "Redis " + keys.channel() + ":*";
  }

  @Override
  public int liveGateways() {
    return liveGateways.get();
  }

  /** Stops watching and withdraws this pod's applied-version report. */
  @Override
  public void close() {
    Future<?> closing =
        worker.submit(
            () -> {
              if (connection != null) {
                reporter.withdraw(connection.sync());
                connection.close();
                connection = null;
              }
            });
    try {
      closing.get(FIRST_LOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("Redis connection not closed cleanly", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    worker.shutdownNow();
  }

  private void check() {
    try {
      RedisConnection<String, String> redis = connected();
      List<KeyValue<String, String>> versionAndLineage =
          redis.sync().mget(keys.version(), keys.lineage());
      String stored = versionAndLineage.get(0).getValueOrElse(null);
      String lineage = versionAndLineage.get(1).getValueOrElse("");
      if (unavailable) {
        LOG.info("Redis reachable again; watching {}", description());
        unavailable = false;
      }
      if (stored == null) {
        noConfigurationStored(redis);
        return;
      }
      waitingForSnapshot = false;
      if (stored.equals(refusedVersion)) {
        return;
      }
      long version;
      try {
        version = Long.parseLong(stored);
      } catch (NumberFormatException e) {
        refuse(stored, "the version '" + stored + "' is not an integer");
        return;
      }
      if (version < held.version()) {
        olderThanServed(version, redis);
        return;
      }
      if (version == held.version()) {
        if (lineage.equals(held.lineage())) {
          return;
        }
        // The same number in another history: Redis lost its data and the operator wrote it all
        // again before this pod's report (which makes it number above) was back. Read it all.
        held.forget();
      }
      List<Object> reply = readConfig(redis);
      boolean newer;
      try {
        newer = held.apply(reply);
      } catch (ConfigValidationException e) {
        // Remembered: a version that cannot be read is not read (and counted) again.
        refusedVersion = stored;
        sink.refuse(description(), e);
        return;
      }
      if (newer) {
        offer(redis);
      }
    } catch (RedisException e) {
      if (!unavailable) {
        LOG.warn(
            "Cannot read the configuration from Redis (serving the last one, retrying every {}):"
                + " {}",
            pollInterval,
            e.toString());
        unavailable = true;
      }
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: log and keep polling.
      LOG.error("Configuration check failed", e);
    }
  }

  private void offer(RedisConnection<String, String> redis) {
    LoadOutcome outcome;
    try {
      outcome =
          sink.offer(
              held.snapshot(),
              held.unreadable(),
              description(),
              SourceLocations.NONE,
              ConfigSink.Refusal.RESOURCE_ONLY);
    } catch (RuntimeException e) {
      // Held is ahead of what is served now: read everything again at the next check.
      held.forget();
      throw e;
    }
    if (outcome.applied()) {
      reporter.applied(
          held.version(),
          held.epoch(),
          RejectionReport.of(outcome.rejected().byResource()),
          redis.sync());
      liveGateways.refresh(redis.sync());
    }
  }

  /**
   * Runs {@link ConfigScripts#READ_CONFIG} as {@code EVAL_RO} (Redis 7): a plain {@code EVAL}
   * declares its keys as written, so it would need write permission on the config keys, and the
   * gateways' ACL user has none (only the operator writes the configuration). A Redis 6 has no
   * {@code EVAL_RO}; there the read falls back to {@code EVAL}, for good.
   */
  private List<Object> readConfig(RedisConnection<String, String> redis) {
    String[] args = {Long.toString(held.version()), held.lineage()};
    if (!readOnlyScripts) {
      return redis
          .sync()
          .eval(ConfigScripts.READ_CONFIG, ScriptOutputType.MULTI, keys.readScriptKeys(), args);
    }
    try {
      return redis
          .sync()
          .evalReadOnly(
              ConfigScripts.READ_CONFIG, ScriptOutputType.MULTI, keys.readScriptKeys(), args);
    } catch (RedisCommandExecutionException e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("ERR unknown command")) {
        throw e;
      }
      LOG.info("Redis has no EVAL_RO (Redis 6); reading the configuration with EVAL");
      readOnlyScripts = false;
      return readConfig(redis);
    }
  }

  /**
   * Redis holds no version. Before the first load: the operator has not written yet. After it:
   * Redis lost its data (a restart without persistence, a flush); the gateway keeps serving what it
   * holds and reports it at once, so the operator (and its write fence) learns which version and
   * leader epoch are served before it writes again, above them.
   */
  private void noConfigurationStored(RedisConnection<String, String> redis) {
    if (waitingForSnapshot) {
      return;
    }
    waitingForSnapshot = true;
    if (held.version() == 0) {
      LOG.info("No configuration in Redis yet ({} is not set)", keys.version());
    } else {
      LOG.warn(
          "Redis holds no configuration any more ({} is gone); still serving version {} until"
              + " the operator writes a newer one",
          keys.version(),
          held.version());
      reporter.refresh(redis.sync());
    }
  }

  /**
   * Redis holds an older version than the one served (it lost its newest writes, or failed over to
   * a replica that had not caught up): versions only move forward, so it is not applied. The
   * operator writes above the served version (it reads this pod's report, refreshed at once).
   */
  private void olderThanServed(long version, RedisConnection<String, String> redis) {
    if (version == olderSeen) {
      return;
    }
    olderSeen = version;
    LOG.warn(
        "Redis holds configuration version {}, older than version {} served: not applied; waiting"
            + " for the operator to write a newer one",
        version,
        held.version());
    reporter.refresh(redis.sync());
  }

  private void refuse(String stored, String problem) {
    refusedVersion = stored;
    sink.refuse(
        description(),
        new ConfigValidationException(description() + ": not a configuration: " + problem));
  }

  private void refreshAppliedVersion() {
    if (connection != null) {
      reporter.refresh(connection.sync());
      liveGateways.refresh(connection.sync());
    }
  }

  /**
   * Both connections (commands, and the subscription a connection in subscribe mode needs for
   * itself) reconnect by themselves after Redis restarts and the subscription is renewed. While
   * disconnected, commands fail at once instead of being queued.
   */
  private RedisConnection<String, String> connected() {
    if (connection == null) {
      RedisConnection<String, String> opened =
          RedisConnection.open(target, CONNECTION, StringCodec.UTF8);
      try {
        opened.subscribe(
            keys.channel(),
            new RedisPubSubAdapter<>() {
              @Override
              public void message(String channel, String message) {
                wake();
              }

              @Override
              public void subscribed(String channel, long count) {
                // Also after each automatic resubscribe: a message may have been missed meanwhile.
                wake();
              }
            });
      } catch (RuntimeException e) {
        opened.close();
        throw e;
      }
      connection = opened;
    }
    return connection;
  }

  /**
   * Called on Lettuce's event loop, which must not block: the check runs on the worker. Messages
   * that arrive while a check is still queued add nothing to it (that check reads the newest
   * version anyway), so a storm of them costs a few checks, not one each ahead of the next real
   * change and of this pod's report; one arriving once the check has started queues the next.
   */
  private void wake() {
    if (!checkQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      worker.execute(
          () -> {
            checkQueued.set(false);
            check();
          });
    } catch (RejectedExecutionException e) {
      // closing: nothing left to reload
    }
  }
}
