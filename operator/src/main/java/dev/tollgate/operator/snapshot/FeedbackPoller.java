package dev.tollgate.operator.snapshot;

import dev.tollgate.operator.feedback.FleetReport;
import dev.tollgate.operator.feedback.GatewayFeedback;
import dev.tollgate.operator.metrics.OperatorMetrics;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the gateways' applied versions and left-out resources every interval and hands them to
 * {@link SnapshotState}, which wakes the reconcilers only when they changed: the {@code Programmed}
 * counts converge as gateways reload or their keys expire, without touching resources whose status
 * is already right.
 */
public final class FeedbackPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackPoller.class);

  private final GatewayFeedback feedback;
  private final SnapshotState state;
  private final OperatorMetrics metrics;
  private final Duration interval;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("tollgate-feedback").daemon().unstarted(r));

  public FeedbackPoller(
      GatewayFeedback feedback, SnapshotState state, OperatorMetrics metrics, Duration interval) {
    this.feedback = feedback;
    this.state = state;
    this.metrics = metrics;
    this.interval = interval;
  }

  public void start() {
    executor.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      FleetReport fleet = feedback.read();
      List<Long> served = fleet.servedVersions();
      long newest = state.storedVersion();
      metrics.gateways(served.size(), (int) served.stream().filter(v -> v >= newest).count());
      state.served(fleet);
    } catch (RedisException e) {
      LOG.debug("gateway feedback unavailable: {}", e.toString());
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: keep polling whatever happened.
      LOG.warn("gateway feedback poll failed", e);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
