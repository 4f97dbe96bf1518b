package dev.tollgate.operator.snapshot;

import dev.tollgate.operator.leader.Leadership;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Redis equal to the snapshot compiled from the informer caches (level-triggered): any cache
 * change {@link #trigger() triggers} a debounced sync that compiles every entry and hands them to
 * the {@link SnapshotWriter}, which writes only what differs. A failed write is retried after a
 * pause. Only the leader writes.
 *
 * <p>Redis losing its data (a restart without persistence, a flush, a failover to a replica that
 * had not caught up) is noticed within {@link #VERIFY_INTERVAL}: the stored version is no longer
 * the one last written, or a gateway serves a higher one. The sync then writes everything again,
 * above every version a gateway serves, so the gateways (which kept serving) move on to it. A full
 * resync every 30 s is the last safety net.
 */
public final class SnapshotSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotSync.class);
  private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
  private static final Duration RESYNC_INTERVAL = Duration.ofSeconds(30);

  /** How often the stored version is compared with the one last written: one GET. */
  static final Duration VERIFY_INTERVAL = Duration.ofSeconds(2);

  private final Supplier<CompiledSnapshot> compiler;
  private final BooleanSupplier cachesSynced;
  private final SnapshotWriter writer;
  private final SnapshotState state;
  private final Leadership leadership;
  private final SnapshotSyncMetrics metrics;
  private final Debouncer debouncer;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("tollgate-snapshot-timer").daemon().unstarted(r));

  /**
   * @param cachesSynced whether the informers have listed everything: before, a compilation would
   *     hold only the namespaces listed so far, and its write would take the others' resources out
   *     of the gateways' configuration ({@link #start} triggers a sync once they have)
   */
  public SnapshotSync(
      Supplier<CompiledSnapshot> compiler,
      BooleanSupplier cachesSynced,
      SnapshotWriter writer,
      SnapshotState state,
      Leadership leadership,
      SnapshotSyncMetrics metrics,
      Duration quietPeriod,
      Duration maxDelay) {
    this.compiler = compiler;
    this.cachesSynced = cachesSynced;
    this.writer = writer;
    this.state = state;
    this.leadership = leadership;
    this.metrics = metrics;
    this.debouncer = new Debouncer("tollgate-snapshot-sync", quietPeriod, maxDelay, this::syncOnce);
    leadership.onStartLeading(this::trigger);
  }

  /** Starts the periodic resync; changes are reported through {@link #trigger()}. */
  public void start() {
    long period = RESYNC_INTERVAL.toMillis();
    timer.scheduleAtFixedRate(this::trigger, period, period, TimeUnit.MILLISECONDS);
    long verify = VERIFY_INTERVAL.toMillis();
    timer.scheduleWithFixedDelay(this::verify, verify, verify, TimeUnit.MILLISECONDS);
    trigger();
  }

  public void trigger() {
    debouncer.trigger();
  }

  /** Triggers a sync when Redis no longer holds the version last stored (see the class doc). */
  private void verify() {
    if (!leadership.isLeader()) {
      return;
    }
    try {
      long stored = state.storedVersion();
      if (writer.storedVersion() != stored || state.highestServed() > stored) {
        trigger();
      }
    } catch (RedisException e) {
      LOG.debug("cannot compare the stored config version: {}", e.toString());
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: keep verifying.
      LOG.warn("config version check failed", e);
    }
  }

  /** One level-triggered pass; true when it wrote a new version. */
  private boolean syncOnce() {
    if (!leadership.isLeader() || !cachesSynced.getAsBoolean()) {
      return false;
    }
    long started = System.nanoTime();
    CompiledSnapshot snapshot;
    WriteResult result;
    try {
      // the compilation may read Redis too (the hosts owned before a leader's first)
      snapshot = compiler.get();
      result = writer.write(snapshot.entries(), state.highestServed());
    } catch (RedisException e) {
      metrics.syncFailed();
      state.writeFailed(e.getMessage());
      LOG.warn("snapshot write failed, retrying in {}: {}", RETRY_DELAY, e.toString());
      timer.schedule(this::trigger, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      return false;
    }
    metrics.synced(
        result,
        snapshot.routeCount(),
        snapshot.policyCount(),
        Duration.ofNanos(System.nanoTime() - started));
    switch (result.outcome()) {
      case WRITTEN -> {
        LOG.info(
            "config v{} written ({} routes, {} policies)",
            result.version(),
            snapshot.routeCount(),
            snapshot.policyCount());
        state.stored(result.version(), snapshot.entries());
      }
      case UNCHANGED -> state.stored(result.version(), snapshot.entries());
      case FENCED -> {
        LOG.error("a newer leader owns config v{}; this replica stops writing", result.version());
        leadership.stopped();
      }
      case CONFLICT -> {
        LOG.warn("config version kept moving during the write; retrying in {}", RETRY_DELAY);
        timer.schedule(this::trigger, RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    return result.outcome() == WriteResult.Outcome.WRITTEN;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    debouncer.close();
  }
}
