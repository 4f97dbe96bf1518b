package dev.tollgate.gateway.proxy;

import dev.tollgate.gateway.proxy.http1.UpstreamConnector;
import dev.tollgate.gateway.proxy.http1.UpstreamSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Keep-alive connections to upstream endpoints, one idle stack per endpoint.
 *
 * <p>A connection is handed to exactly one request at a time and comes back when that request's
 * response was read to its end. A connection idle longer than {@code maxIdle} (which should stay
 * below the upstreams' keep-alive timeouts) is closed rather than reused. Idle connections are
 * reused last-in first-out, so under light load the surplus ages out.
 *
 * <p>Idle connections are also closed without waiting for a request to find them: every {@code
 * maxIdle / 2} a sweeper closes those past {@code maxIdle}, and when a configuration drops an
 * endpoint ({@link #retainOnly}) its connections are closed at once. An upstream that closes an
 * idle connection leaves our end in CLOSE_WAIT until we close it too; without both, every rollout
 * (old pods gone, their endpoints out of the config) left such sockets behind for good.
 */
public final class UpstreamConnections implements AutoCloseable {
  private static final Duration MIN_SWEEP_PERIOD = Duration.ofSeconds(1);

  private final UpstreamConnector connector;
  private final long maxIdleNanos;
  private final int maxIdlePerEndpoint;
  private final Map<URI, LinkedBlockingDeque<Idle>> idle = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sweeper =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("tollgate-upstream-sweeper").daemon().factory());

  /** Endpoints of the configuration being served; null until the first one is applied. */
  private volatile Set<URI> live;

  private record Idle(UpstreamSocket connection, long sinceNanos) {}

  /** A connection for one request; {@code reused} tells a stale keep-alive from a fresh one. */
  public record Lease(UpstreamSocket connection, boolean reused) {}

  /**
   * @param maxIdle idle connections older than this are closed instead of reused
   * @param maxIdlePerEndpoint idle connections kept per endpoint; more are closed on release
   */
  public UpstreamConnections(
      UpstreamConnector connector, Duration maxIdle, int maxIdlePerEndpoint) {
    this.connector = connector;
    this.maxIdleNanos = maxIdle.toNanos();
    this.maxIdlePerEndpoint = maxIdlePerEndpoint;
    Duration period = maxIdle.dividedBy(2);
    long periodNanos = Math.max(period.toNanos(), MIN_SWEEP_PERIOD.toNanos());
    sweeper.scheduleWithFixedDelay(this::sweep, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * An idle connection to {@code endpoint} ({@code scheme://host:port}), or a new one.
   *
   * @throws UncheckedIOException when no connection could be made
   */
  public Lease acquire(URI endpoint) {
    LinkedBlockingDeque<Idle> stack = stack(endpoint);
    long now = System.nanoTime();
    Idle candidate;
    while ((candidate = stack.pollFirst()) != null) {
      if (now - candidate.sinceNanos() < maxIdleNanos && candidate.connection().isReusable()) {
        return new Lease(candidate.connection(), true);
      }
      candidate.connection().close();
    }
    return open(endpoint);
  }

  /**
   * A new connection to {@code endpoint}, never a pooled one.
   *
   * @throws UncheckedIOException when no connection could be made
   */
  public Lease open(URI endpoint) {
    try {
      return new Lease(connector.open(endpoint), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Takes back a connection whose last response was read to its end; it is closed instead when the
   * endpoint left the configuration meanwhile or enough connections to it are idle already.
   */
  public void release(URI endpoint, UpstreamSocket connection) {
    Set<URI> current = live;
    boolean kept =
        (current == null || current.contains(endpoint))
            && stack(endpoint).offerFirst(new Idle(connection, System.nanoTime()));
    if (!kept) {
      connection.close();
    }
  }

  /**
   * Keeps idle connections only for {@code endpoints} (those of the configuration just applied):
   * the others are closed now, and connections still in use by requests to them are closed when
   * those requests finish.
   */
  public void retainOnly(Set<URI> endpoints) {
    live = Set.copyOf(endpoints);
    for (URI endpoint : idle.keySet()) {
      if (!live.contains(endpoint)) {
        LinkedBlockingDeque<Idle> stack = idle.remove(endpoint);
        if (stack != null) {
          closeAll(stack);
        }
      }
    }
  }

  /** Closes idle connections past {@code maxIdle}; the oldest are at the end of each stack. */
  private void sweep() {
    try {
      long now = System.nanoTime();
      for (LinkedBlockingDeque<Idle> stack : idle.values()) {
        Idle oldest;
        while ((oldest = stack.peekLast()) != null && now - oldest.sinceNanos() >= maxIdleNanos) {
          if (stack.removeLastOccurrence(oldest)) {
            oldest.connection().close();
          }
        }
      }
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again
      LoggerFactory.getLogger(UpstreamConnections.class).warn("Idle connection sweep failed", e);
    }
  }

  private static void closeAll(LinkedBlockingDeque<Idle> stack) {
    Idle entry;
    while ((entry = stack.pollFirst()) != null) {
      entry.connection().close();
    }
  }

  private LinkedBlockingDeque<Idle> stack(URI endpoint) {
    return idle.computeIfAbsent(endpoint, e -> new LinkedBlockingDeque<>(maxIdlePerEndpoint));
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    idle.values().forEach(UpstreamConnections::closeAll);
  }
}
